#!/usr/bin/env python3
"""Record botocore's view of every operation of every service for the agreement test.

usage: record.py ORACLE OUT_DIR [--seeds N] [--service FOLDER]...

ORACLE is the oracle folder (or its oracle.py). OUT_DIR receives one folder per service, named
after its generated crate (see SERVICES; --service records only the ones named), and in it one
file per operation, `<Operation>.json`, holding for seeds 1..=N (default 50):

  params           random valid params (keyed by model member names, as boto3 takes them)
  params_valid     botocore's own validation of them
  warnings         constraints the generator could not satisfy (it then ignores them)
  request          botocore's request: method, path, query, content_type, body_json
  response         a random valid response: status, headers, and either body (UTF-8 text)
                   or body_base64 (bytes)
  parsed_response  botocore's parse of that response

An output whose payload is a blob (`@httpPayload`, streaming or not) travels as raw bytes, but
the oracle's random response carries the blob as its base64 text; such a response is recorded
with the decoded bytes as body_base64 and parsed by botocore again, so the fixtures hold the
binary bodies a service really sends.

The oracle runs with its fixed defaults (credentials, time, region, invocation id) in batches,
one process per CPU, under the interpreter that runs this script. The output is
deterministic (sorted keys, seeds in order, indent 1), so recording again with the same
botocore gives identical files. This script imports only the standard library; botocore is
used through the oracle and a child interpreter.
"""

import base64
import concurrent.futures
import json
import os
import subprocess
import sys

DEFAULT_SEEDS = 50

# Fixture folder (the generated crate's package name) -> botocore's service name, which the
# oracle takes as ORACLE_SERVICE.
SERVICES = {
    'kinesis-video': 'kinesisvideo',
    'kinesis-video-archived-media': 'kinesis-video-archived-media',
    'kinesis-video-media': 'kinesis-video-media',
    'kinesis-video-signaling': 'kinesis-video-signaling',
    'kinesis-video-webrtc-storage': 'kinesis-video-webrtc-storage',
}

# Prints {operation: payload member} for the operations of service argv[1] whose output payload
# is a blob. The oracle has no command for it, and the model is botocore's, like the oracle's.
BLOB_PAYLOADS = '''
import json, sys
import botocore.session
model = botocore.session.get_session().get_service_model(sys.argv[1])
found = {}
for name in model.operation_names:
    shape = model.operation_model(name).output_shape
    payload = shape.serialization.get('payload') if shape is not None else None
    if payload and shape.members[payload].type_name == 'blob':
        found[name] = payload
print(json.dumps(found, sort_keys=True))
'''


def oracle_script(path):
    if os.path.isdir(path):
        path = os.path.join(path, 'oracle.py')
    if not os.path.isfile(path):
        raise SystemExit(f'record.py: no oracle at {path}')
    return path


def python(args, service, stdin=None, what=None):
    env = dict(os.environ, ORACLE_SERVICE=service)
    proc = subprocess.run(
        [sys.executable] + args,
        input=json.dumps(stdin) if stdin is not None else '',
        capture_output=True,
        text=True,
        encoding='utf-8',
        env=env,
    )
    if proc.returncode != 0:
        raise SystemExit(
            f'record.py: {service}: `{what or " ".join(args)}` failed ({proc.returncode}):\n'
            f'{proc.stderr}')
    return json.loads(proc.stdout)


def run_oracle(oracle, service, args, stdin=None):
    return python([oracle] + args, service, stdin, what='oracle.py ' + ' '.join(args))


def botocore_version():
    proc = subprocess.run(
        [sys.executable, '-c', 'import botocore; print(botocore.__version__)'],
        capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f'record.py: cannot import botocore:\n{proc.stderr}')
    return proc.stdout.strip()


def blob_payloads(service):
    return python(['-c', BLOB_PAYLOADS, service], service, what='blob payloads')


def wire_body(response, payload, where):
    """`response` with its blob payload as bytes (body_base64) instead of base64 text."""
    if 'body_base64' in response:
        return response
    try:
        raw = base64.b64decode(response['body'], validate=True)
    except ValueError as e:
        raise SystemExit(f'record.py: {where}: payload {payload} is not base64 text: {e}')
    binary = {k: v for k, v in response.items() if k != 'body'}
    binary['body_base64'] = base64.b64encode(raw).decode('ascii')
    return binary


def record_operations(oracle, service, operations, payloads, seeds):
    """Runs one batch (one oracle process, two for blob payloads) for `operations` of
    `service`; every case seeds its own generator, so how operations are grouped into batches
    does not change the answers."""
    batch = [{'operation': op, 'seed': seed, 'with_request': True}
             for op in operations for seed in range(1, seeds + 1)]
    results = run_oracle(oracle, service, ['params-from-model'], batch)
    if len(results) != len(batch):
        raise SystemExit(f'record.py: {service}: asked for {len(batch)} cases, got {len(results)}')
    reparse = []
    for asked, r in zip(batch, results):
        operation, seed = asked['operation'], asked['seed']
        if r.get('seed') != seed or r.get('operation') != operation:
            raise SystemExit(f'record.py: {service} {operation}: answers out of order at seed {seed}')
        if operation in payloads:
            r['response'] = wire_body(r['response'], payloads[operation],
                                      f'{service} {operation} seed {seed}')
            reparse.append(r)
    if reparse:
        parsed = run_oracle(oracle, service, ['response'], [
            dict(r['response'], operation=r['operation']) for r in reparse])
        if len(parsed) != len(reparse):
            raise SystemExit(f'record.py: {service}: asked for {len(reparse)} parses, '
                             f'got {len(parsed)}')
        for r, p in zip(reparse, parsed):
            r['parsed_response'] = p
    recorded = {op: [] for op in operations}
    problems = []
    for asked, r in zip(batch, results):
        operation, seed = asked['operation'], asked['seed']
        where = f'{service} {operation} seed {seed}'
        req = r.get('request') or {}
        if 'error' in req:
            problems.append(f'{where}: botocore refused the request: {req["error"]}')
            continue
        if not r.get('params_valid', False):
            problems.append(f'{where}: params invalid: {r.get("params_errors")}')
        parsed = r['parsed_response']
        if 'exception' in parsed or 'error' in parsed:
            problems.append(f'{where}: botocore could not parse the response: {parsed}')
        response = r['response']
        if ('body' in response) == ('body_base64' in response):
            problems.append(f'{where}: the response needs exactly one of body, body_base64')
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
            'response': response,
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
    folders = []
    while '--service' in args:
        i = args.index('--service')
        folders.append(args[i + 1])
        del args[i:i + 2]
    if len(args) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    unknown = [f for f in folders if f not in SERVICES]
    if unknown:
        print(f'record.py: unknown service {unknown}; known: {sorted(SERVICES)}', file=sys.stderr)
        return 2
    folders = sorted(set(folders)) or sorted(SERVICES)
    oracle = oracle_script(args[0])
    out_dir = args[1]
    version = botocore_version()
    workers = max(1, os.cpu_count() or 1)

    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        # What each service has: its operations (as the oracle lists them) and blob payloads.
        listed = dict(zip(folders, pool.map(
            lambda f: run_oracle(oracle, SERVICES[f], ['operations']), folders)))
        payloads = dict(zip(folders, pool.map(lambda f: blob_payloads(SERVICES[f]), folders)))
        jobs = []
        for folder in folders:
            operations = listed[folder]
            parts = max(1, min(len(operations), workers))
            jobs += [(folder, operations[i::parts]) for i in range(parts)]
        recorded = {folder: {} for folder in folders}
        problems = []
        outcomes = pool.map(
            lambda job: record_operations(oracle, SERVICES[job[0]], job[1],
                                          payloads[job[0]], seeds),
            jobs)
        for (folder, _), (cases, found) in zip(jobs, outcomes):
            recorded[folder].update(cases)
            problems.extend(found)
    if problems:
        print('record.py: botocore did not accept its own random cases:', file=sys.stderr)
        for p in problems:
            print('  ' + p, file=sys.stderr)
        return 1
    for folder in folders:
        service_dir = os.path.join(out_dir, folder)
        os.makedirs(service_dir, exist_ok=True)
        for op in listed[folder]:
            doc = {
                'service': SERVICES[folder],
                'operation': op,
                'botocore_version': version,
                'seeds': seeds,
                'cases': recorded[folder][op],
            }
            text = json.dumps(doc, indent=1, sort_keys=True, ensure_ascii=False) + '\n'
            path = os.path.join(service_dir, op + '.json')
            with open(path, 'w', encoding='utf-8', newline='\n') as f:
                f.write(text)
        print(f'record.py: {folder} ({SERVICES[folder]}): {len(listed[folder])} operations x '
              f'{seeds} seeds (botocore {version}) -> {service_dir}', file=sys.stderr)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
