import { describe, expect, it } from 'vitest';
import sample from '../../tests/fixtures/doctor.sample.json';
import {
  contextGroupOf,
  contextGroups,
  contextLabel,
  fixDescription,
  groupFindings,
  isAbsolutePath,
  matrixColumns,
  matrixRows,
  matrixVars,
  mismatchCount,
  place,
  problemCount,
  projectArg,
  projectProblem,
  sameFix,
  severityCounts,
  sortFindings,
  headlineFindings,
} from './doctor';
import { FIX_KINDS, VAR_NAMES, type DoctorContext, type DoctorFinding, type DoctorReport, type Fix } from './types';

const report = sample as DoctorReport;

function context(id: string, kind: string, status = 'ok'): DoctorContext {
  return { id, kind, label: id, status, error: null, elapsed_ms: null, file: null, pid: null, started_before_switch: null };
}

function finding(id: string, severity: DoctorFinding['severity'], name: string | null): DoctorFinding {
  return { id, severity, var: name, context: 'process', file: null, line: null, message: id, fix: null, fix_action: null };
}

describe('matrix columns', () => {
  it('groups contexts by kind in the panel order, keeping the report order inside a group', () => {
    const contexts = [
      context('pid:1', 'running_process'),
      context('zsh-login', 'shell'),
      context('goland-workspace', 'goland'),
      context('future', 'container'),
      context('bash-login', 'shell'),
      context('go:/usr/bin/go', 'go_binary'),
      context('vscode-user:Code', 'vscode'),
      context('process', 'process'),
      context('session', 'session'),
      context('direnv', 'direnv'),
      context('jetbrains-launch', 'ide_launch'),
    ];
    expect(contextGroups(contexts).map((g) => [g.name, g.contexts.map((c) => c.id)])).toEqual([
      ['process', ['process']],
      ['shell', ['zsh-login', 'bash-login']],
      ['ide_launch', ['jetbrains-launch']],
      ['session', ['session']],
      ['ide_settings', ['goland-workspace', 'vscode-user:Code']],
      ['direnv', ['direnv']],
      ['go_binary', ['go:/usr/bin/go']],
      ['running_process', ['pid:1']],
      ['other', ['future']],
    ]);
    expect(contextGroupOf('vscode')).toBe('ide_settings');
    expect(contextGroupOf('goland')).toBe('ide_settings');
    expect(contextGroupOf('nonsense')).toBe('other');
  });

  it('lays out the fixture left to right, marking where each group starts', () => {
    const columns = matrixColumns(report.contexts);
    expect(columns.map((c) => c.context.id)).toEqual([
      'process',
      'bash-login',
      'bash-interactive',
      'zsh-interactive',
      'vscode-launch',
      'vscode-user:Code',
      'goland-workspace',
      'go:/usr/bin/go',
      'pid:4242',
    ]);
    expect(columns.filter((c) => c.groupStart).map((c) => c.context.id)).toEqual([
      'process',
      'bash-login',
      'vscode-launch',
      'vscode-user:Code',
      'go:/usr/bin/go',
      'pid:4242',
    ]);
    expect(columns.map((c) => c.group)).toEqual([
      'process',
      'shell',
      'shell',
      'shell',
      'ide_launch',
      'ide_settings',
      'ide_settings',
      'go_binary',
      'running_process',
    ]);
  });
});

describe('matrix rows', () => {
  it('shows only settings some context sets or sees differently, in the settings order', () => {
    expect(matrixRows(report).map((r) => r.name)).toEqual(['GOPROXY', 'GOFLAGS', 'GOTOOLCHAIN', 'HTTPS_PROXY', 'NO_PROXY']);
    const all = matrixRows(report, { showAll: true });
    expect(all.map((r) => r.name)).toEqual([...VAR_NAMES]);
    expect(all.filter((r) => !r.hasContent).map((r) => r.name)).toEqual([
      'GOSUMDB',
      'GOPRIVATE',
      'GONOPROXY',
      'GONOSUMDB',
      'GOINSECURE',
      'GOAUTH',
      'GOVCS',
      'HTTP_PROXY',
      'SSL_CERT_FILE',
      'SSL_CERT_DIR',
      'NETRC',
    ]);
  });

  it('gives every row one cell per column, with its state and mismatch', () => {
    const goproxy = matrixRows(report).find((r) => r.name === 'GOPROXY')!;
    expect(goproxy.reference).toBe('https://goproxy.cn,direct');
    expect(goproxy.cells.map((c) => [c.context.id, c.state, c.mismatch])).toEqual([
      ['process', 'unset', false],
      ['bash-login', 'set', true],
      ['bash-interactive', 'set', true],
      ['zsh-interactive', 'unknown', false],
      ['vscode-launch', 'unset', false],
      ['vscode-user:Code', 'set', true],
      ['goland-workspace', 'unset', false],
      ['go:/usr/bin/go', 'unset', false],
      ['pid:4242', 'set', true],
    ]);
    expect(goproxy.mismatches).toBe(4);
    expect(goproxy.cells[1]!.cell).toMatchObject({ value: 'https://proxy.golang.org,direct', file: '/home/dev/.bash_profile', line: 12 });
    // Not set, but go sees something else there: a mismatch without a value.
    const https = matrixRows(report).find((r) => r.name === 'HTTPS_PROXY')!;
    const launch = https.cells.find((c) => c.context.id === 'vscode-launch')!;
    expect([launch.state, launch.mismatch, launch.cell?.effective]).toEqual(['unset', true, '']);
    expect(mismatchCount(report)).toBe(9);
  });

  it('treats an empty value as set, a missing cell of a context that answered as unset', () => {
    const r: DoctorReport = {
      ...report,
      contexts: [context('process', 'process'), context('bash-login', 'shell'), context('fish-login', 'shell', 'error')],
      reference: { GOPROXY: 'https://goproxy.cn' },
      matrix: {
        GOPROXY: { process: { value: '', effective: '', file: null, line: null, mismatch: false } },
        GOSUMDB: { process: { value: null, effective: 'sum.golang.org', file: null, line: null, mismatch: false } },
        // Set nowhere, yet a shell sees another value (e.g. an older go's default): still a row.
        GOTOOLCHAIN: {
          process: { value: null, effective: 'auto', file: null, line: null, mismatch: false },
          'bash-login': { value: null, effective: 'local', file: null, line: null, mismatch: true },
        },
      },
    };
    const rows = matrixRows(r);
    expect(rows.map((row) => row.name)).toEqual(['GOPROXY', 'GOTOOLCHAIN']);
    expect(rows[0]!.cells.map((c) => c.state)).toEqual(['set', 'unset', 'unknown']);
    expect(rows[1]!.cells.map((c) => [c.state, c.mismatch])).toEqual([
      ['unset', false],
      ['unset', true],
      ['unknown', false],
    ]);
  });

  it('adds settings a newer backend reports after the known ones', () => {
    const r = { ...report, matrix: { ...report.matrix, GOFUTURE: {} }, reference: { ...report.reference, GOFUTURE: 'on' } };
    expect(matrixVars(r)).toEqual([...VAR_NAMES, 'GOFUTURE']);
    expect(matrixRows(r, { showAll: true }).at(-1)).toMatchObject({ name: 'GOFUTURE', reference: 'on', hasContent: false });
  });
});

describe('findings', () => {
  it('groups by severity, worst first, with the counts of the summary', () => {
    const groups = groupFindings(report.findings);
    expect(groups.map((g) => [g.severity, g.findings.length])).toEqual([
      ['error', 3],
      ['warning', 5],
      ['info', 3],
    ]);
    expect(severityCounts(report.findings)).toEqual(report.summary);
    expect(problemCount(report)).toBe(8);
  });

  it('sorts within a severity by setting (settings order, none last), then as listed', () => {
    const sorted = sortFindings([
      finding('a', 'info', null),
      finding('b', 'warning', 'NO_PROXY'),
      finding('c', 'error', 'GOFLAGS'),
      finding('d', 'warning', 'GOPROXY'),
      finding('e', 'error', 'GOPROXY'),
      finding('f', 'warning', 'GOPROXY'),
      finding('g', 'warning', 'GOFUTURE'),
      finding('h', 'warning', null),
    ]);
    expect(sorted.map((f) => f.id)).toEqual(['e', 'c', 'd', 'f', 'b', 'g', 'h', 'a']);
    expect(groupFindings(report.findings)[0]!.findings.map((f) => f.id)).toEqual([
      'dead-mirror',
      'pattern-with-scheme',
      'goflags-insecure',
    ]);
  });

  it('leaves out empty groups', () => {
    expect(groupFindings([])).toEqual([]);
    expect(groupFindings([finding('x', 'info', null)]).map((g) => g.severity)).toEqual(['info']);
  });

  it('names the context of a finding from the report, null for other places', () => {
    expect(contextLabel(report, 'bash-interactive')).toBe('bash (interactive)');
    expect(contextLabel(report, 'goenv')).toBeNull();
    expect(place('/home/dev/.bashrc', 31)).toBe('/home/dev/.bashrc:31');
    expect(place('/home/dev/.zshrc', null)).toBe('/home/dev/.zshrc');
    expect(place(null, 3)).toBeNull();
  });
});

describe('fixes', () => {
  it('describes every known kind with its values, and no other', () => {
    const fixes = report.findings.flatMap((f) => (f.fix_action ? [f.fix_action] : []));
    expect(new Set(fixes.map((f) => f.kind))).toEqual(new Set(FIX_KINDS));
    expect(fixDescription({ kind: 'set_go_env', var: 'GOPRIVATE', value: 'git.corp.example' })).toEqual({
      key: 'fix.set_go_env',
      params: { var: 'GOPRIVATE', value: 'git.corp.example' },
    });
    expect(fixDescription({ kind: 'unset_go_env', var: 'GOSUMDB' })).toEqual({ key: 'fix.unset_go_env', params: { var: 'GOSUMDB' } });
    expect(fixDescription({ kind: 'normalize_go_env' })).toEqual({ key: 'fix.normalize_go_env', params: {} });
    expect(fixDescription({ kind: 'comment_out_shadow', file: '/h/.bashrc', line: 31 })).toEqual({
      key: 'fix.comment_out_shadow',
      params: { file: '/h/.bashrc', line: 31 },
    });
    expect(
      fixDescription({ kind: 'remove_vs_code_key', file: '/h/settings.json', key_path: ['go.toolsEnvVars', 'GOPROXY'] }),
    ).toEqual({ key: 'fix.remove_vs_code_key', params: { file: '/h/settings.json', key: 'go.toolsEnvVars › GOPROXY' } });
    expect(fixDescription({ kind: 'remove_go_land_env', file: '/p/.idea/workspace.xml', var: 'GOFLAGS', line: 27 })).toEqual({
      key: 'fix.remove_go_land_env',
      params: { file: '/p/.idea/workspace.xml', var: 'GOFLAGS', line: 27 },
    });
    expect(fixDescription({ kind: 'restart_gopls', pid: 4242 } as Fix)).toBeNull();
  });

  it('compares fixes field by field, whatever the key order', () => {
    const a: Fix = { kind: 'comment_out_shadow', file: '/h/.bashrc', line: 31 };
    expect(sameFix(a, { line: 31, file: '/h/.bashrc', kind: 'comment_out_shadow' } as Fix)).toBe(true);
    expect(sameFix(a, { kind: 'comment_out_shadow', file: '/h/.bashrc', line: 32 })).toBe(false);
    expect(
      sameFix(
        { kind: 'remove_vs_code_key', file: 'f', key_path: ['a', 'b'] },
        { kind: 'remove_vs_code_key', file: 'f', key_path: ['b', 'a'] },
      ),
    ).toBe(false);
  });
});

describe('the project folder', () => {
  it.each([
    ['', null, null],
    ['   ', null, null],
    ['/home/dev/src/app', null, '/home/dev/src/app'],
    ['  /home/dev/src/app  ', null, '/home/dev/src/app'],
    ['C:\\Users\\dev\\app', null, 'C:\\Users\\dev\\app'],
    ['D:/src/app', null, 'D:/src/app'],
    ['\\\\server\\share\\app', null, '\\\\server\\share\\app'],
    ['src/app', 'relative', 'src/app'],
    ['~/src/app', 'relative', '~/src/app'],
    ['./app', 'relative', './app'],
  ])('%j → problem %s, argument %j', (text, problem, arg) => {
    expect(projectProblem(text)).toBe(problem);
    expect(projectArg(text)).toBe(arg);
  });

  it('knows absolute paths of every OS', () => {
    expect(isAbsolutePath('/')).toBe(true);
    expect(isAbsolutePath('c:\\')).toBe(true);
    expect(isAbsolutePath('c:')).toBe(false);
    expect(isAbsolutePath('app')).toBe(false);
  });
});

describe('headline findings', () => {
  it('errors, and warnings from another context than this process, worst first', () => {
    const f = (id: string, severity: DoctorFinding['severity'], context: string) =>
      ({ id, severity, context, var: null, file: null, line: null, message: id, fix: null, fix_action: null }) as DoctorFinding;
    const got = headlineFindings([
      f('lint-warning', 'warning', 'process'),
      f('shadow', 'warning', 'bash-interactive'),
      f('info', 'info', 'zsh-login'),
      f('error', 'error', 'process'),
    ]);
    expect(got.map((x) => x.id)).toEqual(['error', 'shadow']);
    expect(headlineFindings((sample as DoctorReport).findings)).toHaveLength(8);
  });
});
