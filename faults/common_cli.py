"""The command line every fault script shares: a work folder (kept with --keep) and the
numbers printed as JSON."""

import argparse
import json
import shutil
import tempfile
from pathlib import Path


def main(run, description, **arguments):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--keep", action="store_true", help="keep the work folder and logs")
    for name, default in arguments.items():
        parser.add_argument(f"--{name.replace('_', '-')}", type=type(default), default=default)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="faults-"))
    try:
        options = {name: getattr(args, name) for name in arguments}
        result = run(workdir, **options)
        print(json.dumps(result, indent=2))
        return result
    finally:
        if args.keep:
            print(f"work folder kept: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
