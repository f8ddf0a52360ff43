import pytest

from civitas.components.participatory_texts import services
from civitas.components.participatory_texts.splitting import split
from civitas.components.participatory_texts.tests.documents import MARKDOWN
from civitas.testing.participation import published_component, published_space


@pytest.fixture
def text_component(org_a, admin_a, on_commit):
    with on_commit():
        space = published_space(org_a, admin_a, "Règlement du budget")
        return published_component(space, admin_a, "participatory_texts", "Règlement", comments_enabled=True)


def import_markdown(component, admin, source: str = MARKDOWN) -> int:
    items = [item.as_dict() for item in split(source.encode(), "reglement.md")]
    return services.do_import(component=component, user=admin, items=items, file_name="reglement.md")


@pytest.fixture
def published_text(text_component, admin_a, on_commit):
    import_markdown(text_component, admin_a)
    with on_commit():
        services.do_publish_version(component=text_component, user=admin_a, note="Projet")
    return text_component


def admin_base(component) -> str:
    return f"/admin/spaces/{component.space_id}/components/{component.pk}/participatory_texts/"
