"""A worker process's entry point, ``python -m storyline._worker``.

See :class:`storyline._runtime.Worker`.
"""

from storyline._runtime import serve

if __name__ == "__main__":
    serve()
