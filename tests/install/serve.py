"""A static file server on 127.0.0.1 for the install tests: serves DIR on a
free port, writes the port to PORTFILE, and exits by itself after SECONDS."""
import functools
import http.server
import sys
import threading

directory, portfile, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


handler = functools.partial(Quiet, directory=directory)
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
with open(portfile, "w") as f:
    f.write(str(server.server_address[1]))
threading.Timer(seconds, server.shutdown).start()
server.serve_forever()
