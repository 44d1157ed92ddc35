from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.lms.organizations.test_dashboard import *  # noqa

def test_diag(client, team, big, course):
    center, made = big
    client.force_login(team["manager"])
    for size in (47, 450):
        roster_of(center, made, course, size)
        with CaptureQueriesContext(connection) as q:
            client.get("/centers/sunrise/")
        print("QUERIES", size + 3, len(q.captured_queries))
        for x in q.captured_queries: print("   ", x["sql"][:150])
