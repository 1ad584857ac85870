"""The api service: a WSGI application (served by gunicorn in the image)."""


def application(environ, start_response):
    start_response('200 OK', [('Content-Type', 'text/plain; charset=utf-8')])
    return [b'api ok\n']
