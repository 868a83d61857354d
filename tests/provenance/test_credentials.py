"""Content Credentials, offline: sign -> Trusted/Valid, edit -> Invalid, strip -> no manifest, bad material."""

import io
import shutil
import subprocess
import sys
import textwrap

import pytest
from PIL import Image

from workshop_utils.provenance import credentials as cr


@pytest.fixture(scope="module")
def signed(face_sheet, pki):
    return cr.sign_image(face_sheet, pki, author="Ada Student", title="sheet.png")


def test_signed_image_is_trusted_with_the_root_and_valid_without(signed, pki, face_sheet):
    report = cr.read_credentials(signed, trust_anchors=pki.root_pem)
    assert report.state == "Trusted" and report.failures == []
    assert report.author == "Ada Student" and report.title == "sheet.png"
    assert report.action == "c2pa.created" and report.digital_source_type == cr.AI_GENERATED
    assert report.signer == "Workshop Demo Generator" and report.algorithm.lower() == "es256"
    untrusted = cr.read_credentials(signed)
    assert untrusted.state == "Valid" and "signingCredential.untrusted" in untrusted.failures
    assert Image.open(io.BytesIO(signed)).tobytes() == face_sheet.tobytes(), "signing must not change the pixels"


def test_a_stranger_is_valid_but_not_trusted(face_sheet, pki):
    stranger = cr.make_test_pki("Somebody Else", organisation="Elsewhere")
    report = cr.read_credentials(cr.sign_image(face_sheet, stranger, author="X"), trust_anchors=pki.root_pem)
    assert report.state == "Valid" and "signingCredential.untrusted" in report.failures


def test_edited_pixels_make_the_manifest_invalid(signed, pki):
    forged = cr.tamper_pixels_keep_manifest(signed, box=(0, 0, 1, 1))
    report = cr.read_credentials(forged, trust_anchors=pki.root_pem)
    assert report.state == "Invalid" and "assertion.dataHash.mismatch" in report.failures
    assert "do not rely" in str(report)


def test_a_resave_strips_the_manifest(signed, pki, face_sheet):
    stripped = cr.strip_metadata(signed)
    assert Image.open(io.BytesIO(stripped)).tobytes() == face_sheet.tobytes()
    report = cr.read_credentials(stripped, trust_anchors=pki.root_pem)
    assert report.state == "No manifest" and "proves nothing" in report.verdict
    assert cr.read_credentials(face_sheet).state == "No manifest"


def test_missing_or_mismatched_signing_material(face_sheet, pki):
    with pytest.raises(cr.MissingSigningMaterialError, match="make_test_pki"):
        cr.sign_image(face_sheet, None, author="A")
    other = cr.make_test_pki()
    wrong_key = cr.TestPKI(pki.root_pem, pki.chain_pem, other.key_pem, pki.signer_name, pki.issuer_name)
    with pytest.raises(cr.MissingSigningMaterialError, match="key belongs to the signer's certificate"):
        cr.sign_image(face_sheet, wrong_key, author="A")
    with pytest.raises(ValueError, match="author must be a non-empty name"):
        cr.sign_image(face_sheet, pki, author=" ")
    assert "PRIVATE KEY" not in repr(pki)


def test_unreadable_manifest_and_non_png(signed):
    chunks = cr._chunks(signed)
    broken = [(kind, payload[: len(payload) // 2] if kind == b"caBX" else payload) for kind, payload in chunks]
    with pytest.raises(cr.UnreadableManifestError, match="could not be read"):
        cr.read_credentials(cr._assemble(broken))
    with pytest.raises(ValueError, match="must be a PNG file"):
        cr.read_credentials(b"GIF89a not a png")
    with pytest.raises(TypeError, match="PNG bytes, a path to a PNG file or a PIL image"):
        cr.read_credentials(42)
    with pytest.raises(ValueError, match="trust_anchors must be PEM"):
        cr.read_credentials(signed, trust_anchors="me")
    with pytest.raises(ValueError, match="no C2PA manifest to keep"):
        cr.tamper_pixels_keep_manifest(cr.strip_metadata(signed))


def test_report_reads_like_a_table(signed, pki):
    report = cr.read_credentials(signed, pki.root_pem)
    rows = dict(report.rows())
    assert rows["How it was made"].startswith("by a trained AI model")
    assert "<caption>Content Credentials</caption>" in report._repr_html_()
    assert '"title": "sheet.png"' in cr.manifest_json(report)


@pytest.mark.skipif(not shutil.which("unshare") or subprocess.run(["unshare", "-n", "true"]).returncode != 0,
                    reason="needs `unshare -n` (a network namespace) to prove that nothing uses the network")
def test_sign_and_read_with_no_network_at_all():
    code = textwrap.dedent("""
        from PIL import Image
        from workshop_utils.provenance import credentials as cr
        pki = cr.make_test_pki()
        signed = cr.sign_image(Image.new("RGB", (64, 64), "teal"), pki, author="Ada")
        print(cr.read_credentials(signed, pki.root_pem).state, cr.read_credentials(cr.strip_metadata(signed)).state)
    """)
    out = subprocess.run(["unshare", "-n", sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["Trusted", "No", "manifest"]
