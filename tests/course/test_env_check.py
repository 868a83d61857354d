import pytest

from workshop_utils.course import env_check


def test_report_on_this_machine_is_ok():
    report = env_check.check_environment(include_instructor=True)
    assert report.ok, report.problems
    assert report.torch_threads == 1
    names = {m.name for m in report.modules}
    assert {"torch", "numpy", "ipywidgets", "nbgrader"} <= names
    text = str(report)
    assert "All set" in text and "CPUs this session may use" in text
    html = report._repr_html_()
    assert "<caption>Environment self-check</caption>" in html and "scope='col'" in html


def test_missing_module_is_reported_with_a_fix(monkeypatch):
    spec = ("no_such_module_xyz", "no-such-dist", "testing")
    monkeypatch.setattr(env_check, "REQUIRED_MODULES", env_check.REQUIRED_MODULES + (spec,))
    report = env_check.check_environment()
    assert not report.ok
    assert any("no_such_module_xyz" in p and "pip install no-such-dist" in p for p in report.problems)
    assert "MISSING" in str(report)


def test_lesson_08_libraries_are_checked_and_invisible_watermark_gets_the_no_deps_advice(monkeypatch):
    names = {m[0] for m in env_check.REQUIRED_MODULES}
    assert {"imwatermark", "cv2", "pywt", "c2pa", "imagehash", "cryptography"} <= names
    report = env_check.check_environment()
    assert report.ok, report.problems
    spec = ("no_such_module_xyz", "invisible-watermark", "testing")
    monkeypatch.setattr(env_check, "REQUIRED_MODULES", env_check.REQUIRED_MODULES + (spec,))
    problems = env_check.check_environment().problems
    assert any("pip install --no-deps invisible-watermark==0.2.0" in p for p in problems), problems


def test_memory_info_reads_meminfo_and_cgroup(tmp_path):
    meminfo = tmp_path / "meminfo"
    meminfo.write_text("MemTotal:       8388608 kB\nMemFree: 1 kB\nMemAvailable:   4194304 kB\n")
    cgroup = tmp_path / "cg"
    cgroup.mkdir()
    assert env_check.memory_info(meminfo, cgroup) == pytest.approx((8.0, 4.0))
    (cgroup / "memory.max").write_text(str(2 * 1024**3))
    (cgroup / "memory.current").write_text(str(int(0.5 * 1024**3)))
    assert env_check.memory_info(meminfo, cgroup) == pytest.approx((2.0, 1.5))


def test_memory_info_unknown(tmp_path):
    assert env_check.memory_info(tmp_path / "missing", tmp_path) == (None, None)


def test_low_memory_is_a_problem():
    report = env_check.EnvironmentReport("0", "3.11", "Linux", 1, 1, 2.0, 0.5, [])
    assert any("memory" in p for p in report.problems)
