"""The competency framework in Wagtail's admin: frameworks, areas, sub-areas and
endorsement categories as snippets (names and codes only). ``wagtail_hooks`` registers them."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import CompetencyArea, CompetencyFramework, EndorsementCategory, SubArea


class FrameworkViewSet(SnippetViewSet):
    model = CompetencyFramework
    icon = "list-ul"
    menu_label = _("Frameworks")
    list_display = ["name", "version", "effective_date"]


class AreaViewSet(SnippetViewSet):
    model = CompetencyArea
    icon = "table"
    menu_label = _("Competency areas")
    list_display = ["name", "code", "framework", "order"]
    list_filter = ["framework"]


class SubAreaViewSet(SnippetViewSet):
    model = SubArea
    icon = "list-ol"
    menu_label = _("Sub-areas")
    list_display = ["name", "code", "area"]
    list_filter = ["area__framework", "area", "categories"]
    search_fields = ["name", "code"]


class CategoryViewSet(SnippetViewSet):
    model = EndorsementCategory
    icon = "pick"
    menu_label = _("Endorsement categories")
    list_display = ["name", "code", "level", "age_band", "designation"]
    list_filter = ["age_band", "level"]


class CompetencyGroup(SnippetViewSetGroup):
    menu_label = _("Competencies")
    menu_icon = "table"
    menu_order = 300
    items = (FrameworkViewSet, AreaViewSet, SubAreaViewSet, CategoryViewSet)
