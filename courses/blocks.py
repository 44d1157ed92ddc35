"""StreamField blocks for lessons and library modules."""

from django.utils.translation import gettext_lazy
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from media_pipeline.blocks import RecordingChooserBlock as MediaRecordingChooserBlock


class RecordingChooserBlock(MediaRecordingChooserBlock):
    """The media library's recording chooser and player, under the name saved pages and
    migrations already use (it stores the recording's id, as the placeholder did)."""


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageBlock()
    caption = blocks.CharBlock(required=False, max_length=255)

    class Meta:
        icon = "image"
        label = gettext_lazy("Image")
        template = "courses/blocks/image.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock()
    description = blocks.CharBlock(
        required=False,
        max_length=255,
        help_text=gettext_lazy("What the handout is for, in a sentence."),
    )

    class Meta:
        icon = "doc-full"
        label = gettext_lazy("Document")
        template = "courses/blocks/document.html"


class ReflectionPromptBlock(blocks.StructBlock):
    """A question learners answer for themselves, as in reflective practice."""

    prompt = blocks.TextBlock(
        help_text=gettext_lazy("The question learners are asked to reflect on.")
    )
    guidance = blocks.TextBlock(
        required=False, help_text=gettext_lazy("Optional notes on how to approach the reflection.")
    )

    class Meta:
        icon = "openquote"
        label = gettext_lazy("Reflection prompt")
        template = "courses/blocks/reflection.html"


class QuizChooserBlock(SnippetChooserBlock):
    """Wagtail's post-test chooser (it lists the editor's own organizations' post-tests), kept
    as the post-test's identifier: learners' pages read the identifier from the training's
    association's or provider's bank, and pages saved before the chooser keep working."""

    def __init__(self, **kwargs):
        super().__init__("courses.Quiz", **kwargs)

    def deconstruct(self):
        path, _args, kwargs = super().deconstruct()
        return path, (), kwargs

    def quiz_named(self, slug):
        """The post-test a stored identifier names, to show in the chooser (organizations
        keep their own identifiers; any one of that name stores the same value)."""
        if isinstance(slug, self.model_class) or not slug:
            return slug or None
        return self.model_class.objects.filter(slug=slug).order_by("pk").first()

    def to_python(self, value):
        return value or ""

    def bulk_to_python(self, values):
        return [self.to_python(value) for value in values]

    def get_prep_value(self, value):
        return value.slug if isinstance(value, self.model_class) else value or ""

    def normalize(self, value):
        return self.get_prep_value(value)

    def value_from_form(self, value):
        quiz = super().value_from_form(value)
        return quiz.slug if quiz is not None else ""

    def get_form_state(self, value):
        return self.widget.get_value_data(self.quiz_named(value))

    def clean(self, value):
        quiz = self.quiz_named(value)
        return super().clean(quiz if quiz is not None else None)

    def extract_references(self, value):
        return iter(())

    # wagtail-localize: a translated page names the same post-test (the identifier is a fact,
    # not words); learners get the post-test's own translation when they open it.
    def get_translatable_segments(self, value):
        return []

    def restore_translated_segments(self, value, segments):
        return value


class QuizReferenceBlock(blocks.StructBlock):
    """Points at a post-test of the organization's quiz bank."""

    quiz = QuizChooserBlock(
        label=gettext_lazy("Post-test"),
        help_text=gettext_lazy("Choose one of your organization's post-tests."),
    )
    label = blocks.CharBlock(
        max_length=120, help_text=gettext_lazy("What learners see, e.g. Post-test.")
    )
    required_to_complete = blocks.BooleanBlock(
        required=False,
        default=True,
        help_text=gettext_lazy("Learners must pass it to complete the training."),
    )

    class Meta:
        icon = "form"
        label = gettext_lazy("Quiz")
        template = "courses/blocks/quiz.html"


class ModuleChooserBlock(SnippetChooserBlock):
    """Embeds a published module from the shared library."""

    def __init__(self, **kwargs):
        super().__init__("courses.LibraryModule", **kwargs)

    class Meta:
        icon = "folder-inverse"
        label = gettext_lazy("Library module")
        template = "courses/blocks/module.html"


def content_blocks() -> list[tuple[str, blocks.Block]]:
    """Blocks that a lesson and a library module share."""
    return [
        ("text", blocks.RichTextBlock(features=["h2", "h3", "bold", "italic", "ol", "ul", "link"])),
        ("recording", RecordingChooserBlock()),
        ("document", DocumentBlock()),
        ("image", CaptionedImageBlock()),
        ("reflection", ReflectionPromptBlock()),
        ("quiz", QuizReferenceBlock()),
    ]


def lesson_blocks() -> list[tuple[str, blocks.Block]]:
    """A lesson may also embed library modules; a module may not embed another module."""
    return [*content_blocks(), ("module", ModuleChooserBlock())]
