#!/usr/bin/env bash
# Build models/it and models/en from ../shared/corpora (see training/README.md).
# Usage: bash training/train_all.sh [it|en ...]   (default: both)
# Env: CORPORA (default ../shared/corpora), JOBS=2 to train the two parts of a language in
# parallel (one thread each), PARSE_STEPS / NER_STEPS to override the configs' max_steps.
set -euo pipefail
cd "$(dirname "$0")/.."
CORPORA=${CORPORA:-../shared/corpora}
LANGS=${*:-it en}
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
export PYTHONHASHSEED=0  # gensim seeds its word vectors from hash(): fixed, reproducible
PY=${PYTHON:-python}
mkdir -p training/logs training/output
if [ ! -f training/corpus/it_ud_train.spacy ] || [ ! -f training/corpus/en_ner_train.spacy ]; then
  "$PY" training/convert.py --corpora "$CORPORA" --out training/corpus
fi
for lang in $LANGS; do  # static word vectors from the train text, where a config uses them
  if grep -q "training/vectors/$lang" training/configs/"$lang"_*.cfg \
    && [ ! -f "training/vectors/$lang/vocab/vectors" ]; then
    "$PY" training/vectors.py "$lang" --corpora "$CORPORA"
  fi
done
train() {  # lang part
  local extra=()
  if [ "$2" = parse ] && [ -n "${PARSE_STEPS:-}" ]; then extra+=(--vars.max_steps "$PARSE_STEPS"); fi
  if [ "$2" = ner ] && [ -n "${NER_STEPS:-}" ]; then extra+=(--vars.max_steps "$NER_STEPS"); fi
  local data=$2; [ "$2" = parse ] && data=ud
  "$PY" -m spacy train "training/configs/$1_$2.cfg" --output "training/output/$1_$2" \
    --paths.train "training/corpus/$1_${data}_train.spacy" \
    --paths.dev "training/corpus/$1_${data}_dev.spacy" "${extra[@]}" \
    > "training/logs/$1_$2.log" 2>&1
  echo "trained $1 $2 (log: training/logs/$1_$2.log)"
}
for lang in $LANGS; do
  if [ "${JOBS:-1}" -ge 2 ]; then
    train "$lang" parse & p1=$!
    train "$lang" ner & p2=$!
    wait $p1; wait $p2
  else
    train "$lang" parse
    train "$lang" ner
  fi
  "$PY" training/assemble.py "$lang"
done
"$PY" benchmarks/models.py --write-meta $(for l in $LANGS; do echo --lang "$l"; done) | tee training/logs/benchmark.md
