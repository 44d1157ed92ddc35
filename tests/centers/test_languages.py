"""A manager reading in Spanish gets the center's pages and the staff export in Spanish:
labels translated, facts (names, e-mails, hours, dates) as stored."""

import csv
import io
from decimal import Decimal

from django.utils import translation

from tests.centers.test_dashboard import team  # noqa: F401 - the fixture


def test_the_export_is_in_the_managers_language_whatever_is_active_when_it_streams(
    client,
    team,  # noqa: F811 - the fixture imported above
    spanish,
):
    client.force_login(team["manager"])
    response = client.get("/centers/sunrise/staff.csv", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200 and response.streaming
    # The stream is read after the view returned, when another language may be active.
    with translation.override("en"):
        text = b"".join(response.streaming_content).decode()
    rows = {row["Correo electrónico"]: row for row in csv.DictReader(io.StringIO(text))}

    sharing, private, invited = (
        rows["sol@sunrise.test"],
        rows["pat@sunrise.test"],
        rows["ivy@sunrise.test"],
    )
    assert sharing["Nombre"] == "Sol Sharing"
    assert sharing["Comparte su portafolio"] == "sí" and private["Comparte su portafolio"] == "no"
    assert sharing["Horas contadas de"] == "Portafolio completo"
    assert private["Horas contadas de"] == "Capacitaciones contratadas"
    assert Decimal(sharing["Horas totales"]) == Decimal("5.5")
    # The area's column names it as the framework does in Spanish, with its code.
    (reflection,) = (name for name in sharing if name.startswith("Horas de ") and "(REF)" in name)
    assert Decimal(sharing[reflection]) == 4
    assert sharing["Preparación"] == "0 de 1 requisitos cumplidos"
    assert sharing["Vencimiento de la renovación"] == "2027-03-31"
    assert "Completada" in private["Capacitaciones asignadas"]
    assert invited["Capacitaciones asignadas"].endswith("plaza asignada")


def test_the_dashboard_speaks_spanish_to_a_manager_who_reads_it(client, team, spanish):  # noqa: F811
    client.force_login(team["manager"])
    html = client.get("/centers/sunrise/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Progreso del personal" in html or "progreso del personal" in html
    assert "Descargar estas filas en CSV" in html
    assert "Lista de personal" in html  # the center's menu
    assert "Sol Sharing" in html and "sol@sunrise.test" in html
    assert "Download these rows as CSV" not in html


def test_a_roster_file_is_reported_in_the_language_of_whoever_reads_it(client, db, spanish):
    from tests.centers.builders import center_with_manager

    center, manager = center_with_manager()
    client.force_login(manager)
    upload = io.BytesIO(b"correo electronico,nombre\nana@example.test,Ana Ruiz\nnot-an-address,X\n")
    upload.name = "lista.csv"
    response = client.post(f"/centers/{center.slug}/roster/upload/", {"file": upload})
    assert response.status_code == 302
    preview = response["Location"]

    english = client.get(preview, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "New account, invited to join." in english
    assert "“not-an-address” is not a valid e-mail address." in english

    spanish_page = client.get(preview, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Cuenta nueva, recibe una invitación para unirse." in spanish_page
    assert "“not-an-address” no es una dirección de correo electrónico válida." in spanish_page


def test_an_invitation_is_in_the_invited_persons_language_else_the_managers(
    client, db, spanish, django_capture_on_commit_callbacks
):
    from django.core import mail

    from lms.accounts.services import get_or_create_profile
    from tests.centers.builders import center_with_manager
    from tests.factories import UserFactory

    center, manager = center_with_manager()
    reads_spanish = UserFactory(email="lucia@example.test", first_name="Lucía")
    profile = get_or_create_profile(user=reads_spanish)
    profile.language = "es"
    profile.save()
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/centers/{center.slug}/roster/", {"email": "lucia@example.test"})
        client.post(f"/centers/{center.slug}/roster/", {"email": "new@example.test"})
    lucia, new = sorted(mail.outbox, key=lambda message: message.to[0])
    assert lucia.to == ["lucia@example.test"]
    assert lucia.subject == f"{center.name} le invita a capacitarse con Attune"
    assert "Hola, Lucía:" in lucia.body and "inicie sesión en su cuenta de Attune" in lucia.body
    assert 'lang="es"' in lucia.alternatives[0][0]
    # Nobody chose a language for the new account: the manager's (English here).
    assert new.subject == f"{center.name} invites you to train with Attune"
    assert "choose a password" in new.body
