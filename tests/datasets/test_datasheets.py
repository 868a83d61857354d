import pytest
from workshop_utils.datasets import datasheets


@pytest.mark.parametrize("name", datasheets.available())
def test_every_datasheet_has_the_standard_sections(name):
    sheet = datasheets.datasheet(name)
    text = " ".join(sheet.sections())
    for section in datasheets.REQUIRED_SECTIONS:
        assert section in text, f"datasheet {name} lacks a '{section}' section"
    assert sheet._repr_markdown_().startswith("# Datasheet")


def test_unknown_datasheet():
    with pytest.raises(KeyError, match="no datasheet called 'nope'; available"):
        datasheets.datasheet("nope")
