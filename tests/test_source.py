import pytest

from workshop_utils.models import gan2d
from workshop_utils.source import show_source


def test_show_source_displays_code():
    shown = show_source(gan2d.gan_train_step)
    assert shown._repr_markdown_().startswith("```python\ndef gan_train_step")
    with pytest.raises(TypeError, match="show_source needs a function"):
        show_source(42)
