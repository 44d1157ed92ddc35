"""Replace Wagtail's placeholder welcome page with Attune's home page on the default site."""

from django.db import migrations


def create_home_page(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    HomePage = apps.get_model("courses.HomePage")
    Locale = apps.get_model("wagtailcore.Locale")

    if HomePage.objects.exists():
        return
    Page.objects.filter(depth=2, slug="home", content_type__model="page").delete()
    root = Page.objects.get(depth=1)
    locale = Locale.objects.first()
    content_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="courses")
    siblings = Page.objects.filter(depth=2).order_by("-path")
    last = siblings.first()
    path = f"{int(last.path[4:]) + 1:04d}" if last else "0001"
    home = HomePage.objects.create(
        title="Attune",
        draft_title="Attune",
        slug="attune",
        content_type=content_type,
        path=root.path + path,
        depth=2,
        numchild=0,
        url_path="/attune/",
        locale=locale,
        live=True,
        intro="Training that counts toward your endorsement, in one place.",
    )
    root.numchild = Page.objects.filter(depth=2).count()
    root.save(update_fields=["numchild"])
    Site.objects.filter(is_default_site=True).delete()
    Site.objects.create(
        hostname="127.0.0.1", port=8000, root_page=home, is_default_site=True, site_name="Attune"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0001_initial"),
        ("wagtailcore", "0094_alter_page_locale"),
    ]

    operations = [migrations.RunPython(create_home_page, migrations.RunPython.noop)]
