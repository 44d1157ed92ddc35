"""StreamField blocks for lessons and library modules."""

from django.core.validators import RegexValidator
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
        label = "Image"
        template = "courses/blocks/image.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock()
    description = blocks.CharBlock(
        required=False, max_length=255, help_text="What the handout is for, in a sentence."
    )

    class Meta:
        icon = "doc-full"
        label = "Document"
        template = "courses/blocks/document.html"


class ReflectionPromptBlock(blocks.StructBlock):
    """A question learners answer for themselves, as in reflective practice."""

    prompt = blocks.TextBlock(help_text="The question learners are asked to reflect on.")
    guidance = blocks.TextBlock(
        required=False, help_text="Optional notes on how to approach the reflection."
    )

    class Meta:
        icon = "openquote"
        label = "Reflection prompt"
        template = "courses/blocks/reflection.html"


class QuizReferenceBlock(blocks.StructBlock):
    """Points at a quiz in Attune's quiz bank by its identifier."""

    quiz = blocks.CharBlock(
        max_length=80,
        help_text="The quiz's identifier in the quiz bank, e.g. attachment-basics-post-test.",
        validators=[
            RegexValidator(
                r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
                "Use lower-case letters, digits and hyphens, e.g. attachment-basics-post-test.",
            )
        ],
    )
    label = blocks.CharBlock(max_length=120, help_text="What learners see, e.g. Post-test.")
    required_to_complete = blocks.BooleanBlock(
        required=False, default=True, help_text="Learners must pass it to complete the training."
    )

    class Meta:
        icon = "form"
        label = "Quiz"
        template = "courses/blocks/quiz.html"


class ModuleChooserBlock(SnippetChooserBlock):
    """Embeds a published module from the shared library."""

    def __init__(self, **kwargs):
        super().__init__("courses.LibraryModule", **kwargs)

    class Meta:
        icon = "folder-inverse"
        label = "Library module"
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
