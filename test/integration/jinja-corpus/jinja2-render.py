#!/usr/bin/python3
"""Renders templates with Jinja2 as Ansible's template action does (ansible-core 2.14,
plugins/action/template.py and Templar.do_template): trim_blocks=True, lstrip_blocks=False,
StrictUndefined, None printed as '' (Ansible's finalize), a `#jinja2:` first line overriding the
environment, and the source's trailing newlines kept by padding the output.

Reads a JSON list of {"template": str, "vars": dict} on stdin and writes a JSON list of
{"output": str} or {"error": str}."""
import ast
import json
import sys

import jinja2


def finalize(value):
    return '' if value is None else value


def trailing_newlines(s):
    n = 0
    while n < len(s) and s[len(s) - 1 - n] == '\n':
        n += 1
    return n


def render(data, variables):
    env = jinja2.Environment(trim_blocks=True, lstrip_blocks=False, keep_trailing_newline=False,
                             undefined=jinja2.StrictUndefined, finalize=finalize)
    data_newlines = trailing_newlines(data)
    if data.startswith('#jinja2:'):
        eol = data.find('\n')
        line = data[len('#jinja2:'):eol]
        data = data[eol + 1:]
        for pair in line.split(','):
            key, val = pair.split(':', 1)
            setattr(env, key.strip(), ast.literal_eval(val.strip()))
    out = env.from_string(data).render(variables)
    missing = data_newlines - trailing_newlines(out)
    return out + '\n' * missing if missing > 0 else out


results = []
for case in json.load(sys.stdin):
    try:
        results.append({'output': render(case['template'], case['vars'])})
    except Exception as err:  # the test reports which case failed and why
        results.append({'error': f'{type(err).__name__}: {err}'})
json.dump(results, sys.stdout)
