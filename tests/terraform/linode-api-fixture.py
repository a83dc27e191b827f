"""A stand-in for api.linode.com on 127.0.0.1, for `terraform plan` of a fresh state.

Recorded with this same server logging every request (tests/suites/50-terraform.sh, 2026-12):
a plan of either environment root with terraform-provider-linode v3.13.0 and an empty state
makes exactly one API call,

    GET /v4/linode/types?page=100

the SDKv2 half of the provider pinging the API when it is configured (linode/provider.go:
`client.ListTypes(ctx, linodego.NewListOptions(100, ""))`, "Ping the API for an empty response to
verify the configuration works"). The plugin-framework half makes none; nothing is read for
resources because the state is empty. That call is served with the API's list envelope and no
data (the ping only checks for an error). Every other request gets 404 and is logged, so the
suite fails when the provider starts needing more.

Usage: linode-api-fixture.py PORT_FILE LOG_FILE MAX_SECONDS
Writes the port it listens on to PORT_FILE, one line per request to LOG_FILE, and exits after
MAX_SECONDS at the latest.
"""
import http.server
import json
import sys
import time

# The one recorded call and its answer.
FIXTURE = {
    ("GET", "/v4/linode/types?page=100"): {"data": [], "page": 100, "pages": 1, "results": 0},
}


def main() -> None:
    port_file, log_file, max_seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
    log = open(log_file, "a", buffering=1)

    class Handler(http.server.BaseHTTPRequestHandler):
        def answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            body = FIXTURE.get((self.command, self.path))
            served = "served" if body is not None else "unexpected"
            log.write(f"{served} {self.command} {self.path}\n")
            payload = json.dumps(body if body is not None else {"errors": [{"reason": "Not found (no fixture)"}]})
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload.encode())

        do_GET = do_POST = do_PUT = do_DELETE = answer

        def log_message(self, *args) -> None:  # the request log above is the record
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    server.timeout = 0.5
    with open(port_file, "w") as f:
        f.write(f"{server.server_address[1]}\n")
    deadline = time.monotonic() + max_seconds
    while time.monotonic() < deadline:
        server.handle_request()


if __name__ == "__main__":
    main()
