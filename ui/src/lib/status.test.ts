import { describe, expect, it } from 'vitest';
import fromCli from '../../tests/fixtures/status.cli.json';
import sample from '../../tests/fixtures/status.sample.json';
import {
  controlPieces,
  fileProblems,
  findings,
  groupVars,
  ignoredFileLayers,
  layerRows,
  losingLayers,
  orderedVars,
  valueSegments,
} from './status';
import { VAR_NAMES, type Status, type VarStatus } from './types';

const status = sample as Status;

function v(name: string): VarStatus {
  const value = status.vars[name];
  if (!value) throw new Error(`fixture lacks ${name}`);
  return value;
}

function roles(name: string) {
  return Object.fromEntries(layerRows(v(name)).map((r) => [r.source, r.role]));
}

describe('layerRows', () => {
  it('marks the OS environment winning over every file', () => {
    expect(roles('GOPROXY')).toEqual({
      env: 'effective',
      goenv: 'overridden',
      goroot: 'overridden',
      default: 'overridden',
    });
  });

  it('keeps layers in precedence order with their values', () => {
    expect(layerRows(v('GOSUMDB'))).toEqual([
      { source: 'env', value: null, role: 'unset' },
      { source: 'goenv', value: 'sum.golang.google.cn', role: 'effective' },
      { source: 'goroot', value: 'sum.golang.org', role: 'overridden' },
      { source: 'default', value: 'sum.golang.org', role: 'overridden' },
    ]);
  });

  it('says a network variable in the go env file has no effect', () => {
    expect(roles('HTTPS_PROXY')).toMatchObject({ env: 'effective', goenv: 'ignored', goroot: 'unset' });
    expect(ignoredFileLayers(v('HTTPS_PROXY'))).toEqual(['goenv']);
    expect(ignoredFileLayers(v('GOPROXY'))).toEqual([]);
  });

  it('treats an exported empty OS variable as losing', () => {
    expect(roles('HTTP_PROXY')).toMatchObject({ env: 'empty', default: 'effective' });
  });

  it('lists only the layers that lose a value', () => {
    expect(losingLayers(v('GOTOOLCHAIN')).map((r) => r.source)).toEqual(['default']);
    expect(losingLayers(v('SSL_CERT_FILE'))).toEqual([]);
    expect(losingLayers(v('HTTPS_PROXY')).map((r) => [r.source, r.role])).toEqual([['goenv', 'ignored']]);
  });

  it('marks the winner even if a future backend omits its layer', () => {
    const odd: VarStatus = { ...v('GOFLAGS'), source: 'goenv', layers: { env: null, goenv: null, goroot: null, default: null } };
    expect(layerRows(odd).find((r) => r.role === 'effective')?.source).toBe('goenv');
  });
});

describe('ordering and grouping', () => {
  it('follows the contract order and appends unknown variables', () => {
    const extended: Status = { ...status, vars: { ZZZ: v('GOFLAGS'), ...status.vars } };
    expect(orderedVars(extended).map((e) => e.name)).toEqual([...VAR_NAMES, 'ZZZ']);
  });

  it('puts network variables in their own group', () => {
    const groups = groupVars(status);
    expect(groups.network.map((e) => e.name)).toEqual(['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'SSL_CERT_FILE', 'SSL_CERT_DIR', 'NETRC']);
    expect(groups.go).toHaveLength(10);
  });
});

describe('findings and file problems', () => {
  it('collects notes of both files with their path, by line', () => {
    const withGoroot: Status = {
      ...status,
      goroot: {
        ...status.goroot,
        go_env_file: {
          ...status.goroot.go_env_file,
          notes: [{ line: 9, code: 'carriage_return', key: 'GOTOOLCHAIN', text: 'GOTOOLCHAIN=auto\r' }],
        },
      },
    };
    expect(findings(withGoroot).map((f) => [f.file, f.line, f.code])).toEqual([
      ['/home/dev/.config/go/env', 4, 'ignored'],
      ['/home/dev/.config/go/env', 6, 'quoted'],
      ['/usr/lib/go-1.23/go.env', 9, 'carriage_return'],
    ]);
  });

  it('reports unreadable and unlocatable files only', () => {
    expect(fileProblems(status)).toEqual([]);
    const broken: Status = {
      ...status,
      goenv_file: { ...status.goenv_file, state: 'unreadable', error: 'permission denied (os error 13)' },
      goroot: { path: null, found_by: null, go_env_file: { path: null, state: 'unknown', error: null, notes: [] } },
    };
    expect(fileProblems(broken)).toEqual([
      { layer: 'goenv', state: 'unreadable', path: '/home/dev/.config/go/env', error: 'permission denied (os error 13)' },
      { layer: 'goroot', state: 'unknown', path: null, error: null },
    ]);
    const missing: Status = { ...status, goenv_file: { ...status.goenv_file, state: 'missing' } };
    expect(fileProblems(missing)).toEqual([]);
  });
});

describe('valueSegments', () => {
  it.each([
    ['https://goproxy.cn,https://mirrors.aliyun.com/goproxy/,direct', ['https://goproxy.cn,', 'https://mirrors.aliyun.com/goproxy/,', 'direct']],
    ['https://a|https://b', ['https://a|', 'https://b']],
    ['off', ['off']],
    ['', []],
    [',,', [',', ',']],
    ['a,', ['a,']],
  ])('%j', (value, expected) => {
    const segments = valueSegments(value);
    expect(segments).toEqual(expected);
    expect(segments.join('')).toBe(value);
  });
});

describe('controlPieces', () => {
  it('isolates carriage returns', () => {
    expect(controlPieces('"corp.example"\r')).toEqual(['"corp.example"', '\r']);
    expect(controlPieces('a\r\rb')).toEqual(['a', '\r', '\r', 'b']);
    expect(controlPieces('plain')).toEqual(['plain']);
    expect(controlPieces('')).toEqual([]);
  });
});

describe('output of `modroute status --json`', () => {
  const real = fromCli as Status;

  it('has the 16 variables in order', () => {
    expect(orderedVars(real).map((e) => e.name)).toEqual([...VAR_NAMES]);
  });

  it('classifies the layers of a real go env file', () => {
    const proxy = real.vars.GOPROXY!;
    expect(layerRows(proxy).map((r) => r.role)).toEqual(['unset', 'effective', 'overridden', 'overridden']);
    const https = real.vars.HTTPS_PROXY!;
    expect(layerRows(https).map((r) => r.role)).toEqual(['effective', 'ignored', 'unset', 'overridden']);
    const http = real.vars.HTTP_PROXY!;
    expect(layerRows(http).map((r) => r.role)).toEqual(['empty', 'unset', 'unset', 'effective']);
  });

  it('lists every note of the go env file', () => {
    expect(findings(real).map((f) => `${f.line}:${f.code}`)).toEqual([
      '1:duplicate',
      '2:key_space',
      '3:ignored',
      '5:carriage_return',
      '5:quoted',
    ]);
  });
});
