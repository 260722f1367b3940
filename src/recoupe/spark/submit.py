"""The script spark-submit runs: `recoupe run --engine spark` with the cluster's session.

    spark-submit --master yarn --deploy-mode client [--archives env.tar.gz#env ...] \
        "$(python -c 'import recoupe.spark.submit as m; print(m.__file__)')" \
        hdfs:///crawl/news/ --out hdfs:///recoupe/run-1

Arguments are those of `recoupe run` (INPUT... --out DIR [--config FILE] [--quiet]);
the master and every other Spark setting come from spark-submit.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from recoupe.cli import main as cli_main

    return cli_main(["run", *(sys.argv[1:] if argv is None else argv), "--engine", "spark"])


if __name__ == "__main__":
    sys.exit(main())
