"""A worker process's entry point, ``python -m storyline.pipeline._worker``.

See :class:`storyline.pipeline.workers.Worker`.
"""

from storyline.pipeline.workers import serve

if __name__ == "__main__":
    serve()
