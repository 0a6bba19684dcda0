"""Server time of every UI page on the reference report (Flask test client, real
on-disk store, queries through the app's query workers): the first request of a
page (nothing cached) and the median of later ones (page models cached per store
generation). Target: no page over 300 ms."""
import statistics
import sys
import tempfile
import time
from pathlib import Path

from endpoint_common import build_reference_store

TARGET_MS = 300


def pages(app) -> list[str]:
    """Every kind of page, with the entities of the loaded report."""
    from service import ui_data
    from service.ui import entity_href
    with app.test_request_context():
        urls = ["/", "/index.json", "/search?q=政务", "/search?q=2013", "/reports", "/projects", "/vendors",
                "/subjects", "/findings", "/findings?severity=Info", "/charts", "/charts.json", "/query"]
        urls += [entity_href(r["report"]) for r in ui_data.reports()["reports"]]
        urls += [entity_href(p["project"]) for p in ui_data.projects()["projects"]]
        urls += [entity_href(v["org"]) for v in ui_data.vendors()["vendors"]]
        codes = ui_data.subjects()["subjects"]
        urls += [entity_href(s["concept"]) for s in codes[:3] + codes[-3:]]
        urls += [entity_href(f["finding"]) for f in ui_data.findings()["findings"][:3]]
        urls += [u + ".json" for u in urls if u.startswith("/project/")][:2]
    return list(dict.fromkeys(u for u in urls if u))


def main() -> int:
    from service.app import close_app, create_app, select_rows
    with tempfile.TemporaryDirectory() as tmp:
        path = build_reference_store(Path(tmp))
        app = create_app({"store": str(path)})
        try:
            with app.app_context():
                select_rows("ASK {}")  # start the query workers: their start-up is not a page's time
            urls = pages(app)
            app.extensions.pop("fiscalkg_ui_cache", None)  # measure every page cold
            client = app.test_client()
            worst = 0.0
            print(f"{'page':60s} {'first':>8s} {'cached':>8s}")
            for url in urls:
                t0 = time.perf_counter()
                response = client.get(url)
                first = (time.perf_counter() - t0) * 1000
                assert response.status_code == 200, (url, response.status_code)
                later = []
                for _ in range(5):
                    t0 = time.perf_counter()
                    client.get(url)
                    later.append((time.perf_counter() - t0) * 1000)
                cached = statistics.median(later)
                worst = max(worst, first)
                print(f"{url[:60]:60s} {first:6.0f}ms {cached:6.1f}ms")
            print(f"{len(urls)} pages; slowest first request {worst:.0f} ms (target < {TARGET_MS} ms)")
            return 0 if worst < TARGET_MS else 1
        finally:
            close_app(app)


if __name__ == "__main__":
    sys.exit(main())
