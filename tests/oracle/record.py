#!/usr/bin/env python3
"""Record botocore's view of every operation for the agreement test.

usage: record.py ORACLE OUT_DIR [--seeds N]

ORACLE is the oracle folder (or its oracle.py); OUT_DIR receives one file per operation,
`<Operation>.json`, holding for seeds 1..=N (default 50):

  params           random valid params (keyed by model member names, as boto3 takes them)
  params_valid     botocore's own validation of them
  warnings         constraints the generator could not satisfy (it then ignores them)
  request          botocore's request: method, path, query, content_type, body_json
  response         a random valid response: status, headers, body
  parsed_response  botocore's parse of that response

The oracle runs with its fixed defaults (credentials, time, region, invocation id) in batches,
one process per CPU, under the interpreter that runs this script. The output is
deterministic (sorted keys, seeds in order, indent 1), so recording again with the same
botocore gives identical files. Only the standard library is used.
"""

import concurrent.futures
import json
import os
import subprocess
import sys

DEFAULT_SEEDS = 50


def oracle_script(path):
    if os.path.isdir(path):
        path = os.path.join(path, 'oracle.py')
    if not os.path.isfile(path):
        raise SystemExit(f'record.py: no oracle at {path}')
    return path


def run_oracle(oracle, args, stdin=None):
    proc = subprocess.run(
        [sys.executable, oracle] + args,
        input=json.dumps(stdin) if stdin is not None else '',
        capture_output=True,
        text=True,
        encoding='utf-8',
    )
    if proc.returncode != 0:
        raise SystemExit(
            f'record.py: `oracle.py {" ".join(args)}` failed ({proc.returncode}):\n{proc.stderr}')
    return json.loads(proc.stdout)


def botocore_version():
    proc = subprocess.run(
        [sys.executable, '-c', 'import botocore; print(botocore.__version__)'],
        capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f'record.py: cannot import botocore:\n{proc.stderr}')
    return proc.stdout.strip()


def record_operations(oracle, operations, seeds):
    """Runs one batch (one oracle process) for `operations`; every case seeds its own
    generator, so how operations are grouped into batches does not change the answers."""
    batch = [{'operation': op, 'seed': seed, 'with_request': True}
             for op in operations for seed in range(1, seeds + 1)]
    results = run_oracle(oracle, ['params-from-model'], batch)
    if len(results) != len(batch):
        raise SystemExit(f'record.py: asked for {len(batch)} cases, got {len(results)}')
    recorded = {op: [] for op in operations}
    problems = []
    for asked, r in zip(batch, results):
        operation, seed = asked['operation'], asked['seed']
        if r.get('seed') != seed or r.get('operation') != operation:
            raise SystemExit(f'record.py: {operation}: answers out of order at seed {seed}')
        req = r.get('request') or {}
        if 'error' in req:
            problems.append(f'{operation} seed {seed}: botocore refused the request: {req["error"]}')
            continue
        if not r.get('params_valid', False):
            problems.append(f'{operation} seed {seed}: params invalid: {r.get("params_errors")}')
        parsed = r['parsed_response']
        if 'exception' in parsed or 'error' in parsed:
            problems.append(f'{operation} seed {seed}: botocore could not parse the response: {parsed}')
        recorded[operation].append({
            'seed': seed,
            'params': r['params'],
            'params_valid': r['params_valid'],
            'warnings': r.get('warnings', []),
            'request': {
                'method': req['method'],
                'path': req['path'],
                'query': req['query'],
                'content_type': req['headers'].get('content-type'),
                'body_json': req['body_json'],
            },
            'response': r['response'],
            'parsed_response': parsed,
        })
    return recorded, problems


def main(argv):
    args = list(argv[1:])
    seeds = DEFAULT_SEEDS
    if '--seeds' in args:
        i = args.index('--seeds')
        seeds = int(args[i + 1])
        del args[i:i + 2]
    if len(args) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    oracle = oracle_script(args[0])
    out_dir = args[1]
    version = botocore_version()
    operations = run_oracle(oracle, ['operations'])
    os.makedirs(out_dir, exist_ok=True)
    workers = max(1, min(len(operations), os.cpu_count() or 1))
    groups = [operations[i::workers] for i in range(workers)]
    recorded, problems = {}, []
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        for cases, found in pool.map(lambda g: record_operations(oracle, g, seeds), groups):
            recorded.update(cases)
            problems.extend(found)
    if problems:
        print('record.py: botocore did not accept its own random cases:', file=sys.stderr)
        for p in problems:
            print('  ' + p, file=sys.stderr)
        return 1
    for op in operations:
        doc = {
            'operation': op,
            'botocore_version': version,
            'seeds': seeds,
            'cases': recorded[op],
        }
        text = json.dumps(doc, indent=1, sort_keys=True, ensure_ascii=False) + '\n'
        with open(os.path.join(out_dir, op + '.json'), 'w', encoding='utf-8', newline='\n') as f:
            f.write(text)
    print(f'record.py: {len(operations)} operations x {seeds} seeds '
          f'(botocore {version}) -> {out_dir}', file=sys.stderr)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
