#!/usr/bin/env python3
"""Cross-validate the article model on the news tune part: AP of sentences it never saw.

The article model of ``scripts/train_checkworthiness.py`` is fitted on the debate sentences and
the labelled news sentences of ``--splits`` (``tune2``). Scoring those same sentences afterwards
is in-sample; this script refits it ``--folds`` times, each time without a fifth of the
articles (seeded shuffle), scores the sentences of the articles left out with the shipped
debate model plus that fold's article model (boilerplate capped as at run time), and prints the
pooled AP, the mean AP over folds and the pooled AP of each part. ``--train-splits`` (default:
all of ``--splits``) restricts which parts' articles each fold trains on, so that two sets of
training parts can be compared on the same held-back sentences, e.g. ``--splits tune2 tune3
--train-splits tune2`` against ``--splits tune2 tune3``. Needs the ``train`` extra::

    python benchmarks/cv_article_model.py [--splits tune2] [--weight 20] [--scale 0.5]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import statistics
import sys
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from eval_extract import average_precision  # noqa: E402
from train_checkworthiness import (  # noqa: E402
    DEFAULT_CORPUS,
    DEFAULT_DATA,
    DEFAULT_NEWS,
    load_news_rows,
)

from claimcheck.extract.features import featurize, hand_features, is_boilerplate  # noqa: E402
from claimcheck.extract.scoring import load_model  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--splits", nargs="+", default=["tune2"], help="parts folded and scored")
    ap.add_argument("--train-splits", nargs="+", help="parts trained on (default: --splits)")
    ap.add_argument("--weight", type=float, default=20.0)
    ap.add_argument("--scale", type=float, default=0.5)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--model", type=Path, help="debate model file other than the shipped one")
    args = ap.parse_args()

    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    with DEFAULT_DATA.open(encoding="utf-8", newline="") as f:
        debates = [
            r for r in csv.DictReader(f, delimiter="\t") if zlib.crc32(r["id"].encode()) % 100 >= 15
        ]
    deb_x = [hand_features(r["sentence"]) for r in debates]
    deb_y = [int(r["label"]) for r in debates]
    news = load_news_rows(DEFAULT_NEWS, DEFAULT_CORPUS, set(args.splits))
    rows = [json.loads(line) for line in DEFAULT_NEWS.read_text(encoding="utf-8").splitlines()]
    part_of = {r["article"]: r["split"] for r in rows if r["split"] in args.splits}
    trained = set(args.train_splits or args.splits)
    model = load_model(str(args.model) if args.model else None)
    base = [model.logit(featurize(sentence)) for _, sentence, _, _ in news]
    articles = sorted({a for a, _, _, _ in news})
    random.Random(args.seed).shuffle(articles)
    folds = [set(articles[i :: args.folds]) for i in range(args.folds)]
    scores: dict[int, float] = {}
    per_fold = []
    for fold in folds:
        train = [
            i for i, row in enumerate(news) if row[0] not in fold and part_of[row[0]] in trained
        ]
        test = [i for i, row in enumerate(news) if row[0] in fold]
        vec = DictVectorizer()
        x = vec.fit_transform(deb_x + [news[i][2] for i in train])
        lr = LogisticRegression(C=1.0, class_weight="balanced", max_iter=3000)
        lr.fit(
            x,
            deb_y + [news[i][3] for i in train],
            sample_weight=[1.0] * len(deb_y) + [args.weight] * len(train),
        )
        extra = lr.decision_function(vec.transform([news[i][2] for i in test]))
        for i, z in zip(test, extra, strict=True):
            scores[i] = -99.0 if is_boilerplate(news[i][1]) else base[i] + args.scale * z
        per_fold.append(
            average_precision([bool(news[i][3]) for i in test], [scores[i] for i in test])
        )
    labels = [bool(row[3]) for row in news]
    print(
        f"{' + '.join(args.splits)}: {len(news)} sentences of {len(articles)} articles, "
        f"{args.folds} folds, trained on {' + '.join(sorted(trained))}, "
        f"weight {args.weight:g}, scale {args.scale:g}"
    )
    print(
        f"  pooled AP      {average_precision(labels, [scores[i] for i in range(len(news))]):.3f}"
    )
    print(f"  mean fold AP   {statistics.mean(per_fold):.3f}")
    for split in args.splits:
        mine = [i for i, row in enumerate(news) if part_of[row[0]] == split]
        part_ap = average_precision([labels[i] for i in mine], [scores[i] for i in mine])
        print(f"  {split:<14} AP {part_ap:.3f} ({len(mine)} sentences)")
    alone = [-99.0 if is_boilerplate(row[1]) else z for row, z in zip(news, base, strict=True)]
    print(f"  debate model alone (no article model) AP {average_precision(labels, alone):.3f}")


if __name__ == "__main__":
    main()
