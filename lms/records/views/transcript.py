"""The learner's transcript: the page, and the same totals as PDF and CSV downloads."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from .. import documents
from ..language import document_language
from ..selectors.transcript import transcript_for


@login_required
def transcript(request):
    data = transcript_for(learner=request.user)
    return render(request, "records/transcript.html", {"transcript": data})


@login_required
def transcript_pdf(request):
    data = transcript_for(learner=request.user)
    language = document_language(user=request.user, fallback=get_language())
    pdf = documents.transcript_pdf(data, language=language)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="attune-transcript.pdf"'
    return response


@login_required
def transcript_csv(request):
    data = transcript_for(learner=request.user)
    language = document_language(user=request.user, fallback=get_language())
    csv = documents.transcript_csv(data, language=language)
    response = HttpResponse(csv, content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="attune-transcript.csv"'
    return response
