"""Images and models shared by the provenance tests (made once per test session)."""

import pytest


@pytest.fixture(scope="session")
def face_sheet():
    from workshop_utils.provenance import demo_images

    return demo_images.model_face_grid(seed=0)


@pytest.fixture(scope="session")
def procedural_face():
    from workshop_utils.provenance import demo_images

    return demo_images.procedural_faces(1, "C", seed=1)[0]


@pytest.fixture(scope="session")
def charlm_and_vocab():
    import torch

    from workshop_utils.models import charlm

    torch.set_num_threads(1)  # as in the notebooks: tiny models are fastest on one thread
    return charlm.pretrained()


@pytest.fixture(scope="session")
def pki():
    from workshop_utils.provenance import credentials

    return credentials.make_test_pki()
