#!/usr/bin/env python3
"""Cross-validate the article model on the news tune part: AP of sentences it never saw.

The article model of ``scripts/train_checkworthiness.py`` is fitted on the debate sentences and
the labelled news sentences of ``--split`` (``tune2``). Scoring those same sentences afterwards
is in-sample; this script refits it ``--folds`` times, each time without a fifth of the
articles (seeded shuffle), scores the sentences of the articles left out with the shipped
debate model plus that fold's article model (boilerplate capped as at run time), and prints the
pooled AP and the mean AP over folds. Needs the ``train`` extra::

    python benchmarks/cv_article_model.py [--split tune2] [--weight 20] [--scale 0.5]
"""

from __future__ import annotations

import argparse
import csv
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
    ap.add_argument("--split", default="tune2")
    ap.add_argument("--weight", type=float, default=20.0)
    ap.add_argument("--scale", type=float, default=0.5)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    with DEFAULT_DATA.open(encoding="utf-8", newline="") as f:
        debates = [
            r for r in csv.DictReader(f, delimiter="\t") if zlib.crc32(r["id"].encode()) % 100 >= 15
        ]
    deb_x = [hand_features(r["sentence"]) for r in debates]
    deb_y = [int(r["label"]) for r in debates]
    news = load_news_rows(DEFAULT_NEWS, DEFAULT_CORPUS, {args.split})
    model = load_model()
    base = [model.logit(featurize(sentence)) for _, sentence, _, _ in news]
    articles = sorted({a for a, _, _, _ in news})
    random.Random(args.seed).shuffle(articles)
    folds = [set(articles[i :: args.folds]) for i in range(args.folds)]
    scores: dict[int, float] = {}
    per_fold = []
    for fold in folds:
        train = [i for i, row in enumerate(news) if row[0] not in fold]
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
    print(f"{args.split}: {len(news)} sentences of {len(articles)} articles, {args.folds} folds")
    print(
        f"  pooled AP      {average_precision(labels, [scores[i] for i in range(len(news))]):.3f}"
    )
    print(f"  mean fold AP   {statistics.mean(per_fold):.3f}")
    alone = [-99.0 if is_boilerplate(row[1]) else z for row, z in zip(news, base, strict=True)]
    print(f"  debate model alone (no article model) AP {average_precision(labels, alone):.3f}")


if __name__ == "__main__":
    main()
