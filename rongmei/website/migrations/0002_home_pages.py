"""The website's two home pages: Chinese at the root of the default site
(``/``), in place of Wagtail's "Welcome" page, and English below it (``/en/``)."""

import uuid

from django.db import migrations

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # treebeard's path alphabet, 4 characters a level
STEP = 4


def _next_child_path(Page, parent) -> str:
    last = Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1).order_by("-path").first()
    if last is None:
        return parent.path + "0001"
    value = 0
    for char in last.path[-STEP:]:
        value = value * len(ALPHABET) + ALPHABET.index(char)
    value += 1
    digits = ""
    for _ in range(STEP):
        value, rest = divmod(value, len(ALPHABET))
        digits = ALPHABET[rest] + digits
    return parent.path + digits


def _add_child(Page, Model, parent, content_type, **fields):
    page = Model.objects.create(
        content_type=content_type,
        path=_next_child_path(Page, parent),
        depth=parent.depth + 1,
        numchild=0,
        url_path=f"{parent.url_path}{fields['slug']}/",
        draft_title=fields["title"],
        locale_id=parent.locale_id,
        translation_key=uuid.uuid4(),
        live=True,
        **fields,
    )
    Page.objects.filter(pk=parent.pk).update(numchild=Page.objects.filter(path__startswith=parent.path,
                                                                          depth=parent.depth + 1).count())  # fmt: skip
    return page


def create_home_pages(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    HomePage = apps.get_model("website", "WebsiteHomePage")

    root = Page.objects.filter(depth=1).order_by("path").first()
    if root is None:
        return
    # Wagtail's "Welcome" page, untouched (a plain page without children): ours replaces it.
    plain, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="page")
    welcome = Page.objects.filter(content_type=plain, slug="home", depth=2, numchild=0).first()
    if welcome is not None:
        Site.objects.filter(root_page=welcome).update(root_page=root)  # kept while the page goes
        welcome.delete()
        Page.objects.filter(pk=root.pk).update(numchild=Page.objects.filter(depth=2).count())
        root.refresh_from_db()

    home_type, _ = ContentType.objects.get_or_create(app_label="website", model="websitehomepage")
    chinese = _add_child(Page, HomePage, root, home_type, title="首页", slug="home", language="zh-hans")
    _add_child(Page, HomePage, chinese, home_type, title="Home", slug="en", language="en")

    # The site that showed the welcome page shows ours; without one, ours is the default site.
    Site.objects.filter(root_page=root).update(root_page=chinese)
    if not Site.objects.filter(is_default_site=True).exists():
        Site.objects.create(hostname="localhost", port=80, root_page=chinese, is_default_site=True)


def remove_home_pages(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    HomePage = apps.get_model("website", "WebsiteHomePage")
    Site = apps.get_model("wagtailcore", "Site")
    root = Page.objects.filter(depth=1).order_by("path").first()
    for home in HomePage.objects.order_by("-depth"):
        Site.objects.filter(root_page=home).update(root_page=root)
        parent_path = home.path[:-STEP]
        Page.objects.filter(path__startswith=home.path).delete()
        Page.objects.filter(path=parent_path).update(
            numchild=Page.objects.filter(path__startswith=parent_path, depth=len(parent_path) // STEP + 1).count()
        )


class Migration(migrations.Migration):
    dependencies = [
        ("website", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_home_pages, remove_home_pages)]
