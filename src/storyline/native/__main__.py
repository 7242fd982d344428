"""``python -m storyline.native build|status|clean``: see :mod:`storyline.native`."""

from __future__ import annotations

import argparse
import shutil
import sys

from storyline.native import _BUILD, build, status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m storyline.native",
        description="The quotes and entities stages compiled with mypyc (storyline.native).",
    )
    parser.add_argument("action", choices=("build", "status", "clean"))
    parser.add_argument("--force", action="store_true", help="build even when up to date")
    parser.add_argument("--jobs", type=int, default=2, help="modules compiled at once")
    args = parser.parse_args(argv)
    if args.action == "status":
        print(status())
        return 0
    if args.action == "clean":
        shutil.rmtree(_BUILD, ignore_errors=True)
        print(f"removed {_BUILD}")
        return 0
    try:
        print(build(jobs=args.jobs, force=args.force))
    except (RuntimeError, ImportError) as error:
        print(f"storyline.native: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
