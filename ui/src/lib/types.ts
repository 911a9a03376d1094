// TypeScript view of the Status JSON produced by `modroute-core` (`status::gather`) and
// returned by the `get_status` IPC command. See contract: fields may be added, never renamed.

/** The 16 variables modroute reports, in the order the backend emits them. */
export const VAR_NAMES = [
  'GOPROXY',
  'GOSUMDB',
  'GOPRIVATE',
  'GONOPROXY',
  'GONOSUMDB',
  'GOINSECURE',
  'GOFLAGS',
  'GOTOOLCHAIN',
  'GOAUTH',
  'GOVCS',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'NETRC',
] as const;

export type VarName = (typeof VAR_NAMES)[number];

/** Where a value can come from. */
export type Source = 'env' | 'goenv' | 'goroot' | 'default';

/** Go's precedence, strongest first: non-empty OS variable > go env file > $GOROOT/go.env > default. */
export const SOURCES: readonly Source[] = ['env', 'goenv', 'goroot', 'default'];

/** `go`: read from every layer; `network`: go reads it only from the OS environment. */
export type VarKind = 'go' | 'network';

export type FileState = 'read' | 'missing' | 'unreadable' | 'off' | 'unknown';

export type NoteCode = 'ignored' | 'key_space' | 'carriage_return' | 'quoted' | 'duplicate';

/** A line of an env file that go reads differently from what its author probably meant. */
export interface FileNote {
  line: number;
  code: NoteCode;
  key?: string | null;
  text: string;
}

/** One env file layer: the user go env file or $GOROOT/go.env. */
export interface EnvFile {
  path: string | null;
  state: FileState;
  error: string | null;
  notes: FileNote[];
}

export type GorootFoundBy = 'goenv' | 'env' | 'path' | 'go_env_command';

export interface Goroot {
  path: string | null;
  found_by: GorootFoundBy | null;
  /** The toolchain version from $GOROOT/VERSION, e.g. "go1.23.5". */
  version?: string | null;
  go_env_file: EnvFile;
}

export interface Location {
  file: string;
  line: number;
}

/** The value of each layer; null when the layer does not set the variable. */
export type Layers = Record<Source, string | null>;

export interface VarStatus {
  kind: VarKind;
  /** The effective value; "" when unset or empty. Already redacted by the backend. */
  value: string;
  source: Source;
  layers: Layers;
  /** Where the winning value is written, for file layers. */
  location: Location | null;
  /** Which OS variable fed the env layer (e.g. `https_proxy` for HTTPS_PROXY). */
  env_name: string | null;
  /** GONOPROXY/GONOSUMDB default to GOPRIVATE's value. */
  derived_from: string | null;
}

export interface Status {
  /** Path of the go env file, "off" (GOENV=off), or "" when it cannot be determined. */
  goenv: string;
  goenv_file: EnvFile;
  goroot: Goroot;
  /** Always the 12 VAR_NAMES, in that order (a newer backend may add more). */
  vars: Record<string, VarStatus>;
  /** git's own view (`get_status` asks git; `modroute status` only with `--git`). */
  git?: GitView | null;
}

/** A git configuration layer (`git config --show-scope`). */
export type GitScope = 'system' | 'global' | 'local' | 'worktree' | 'command' | 'other';

/** One of git's network settings (value redacted; null for a bare key). */
export interface GitSetting {
  key: string;
  value: string | null;
  scope: GitScope | string;
  file: string | null;
}

/** Where git's proxy comes from. */
export type GitProxySource =
  | { from: 'config'; key: string; scope: GitScope | string; file: string | null }
  | { from: 'env'; var: string }
  | { from: 'none' };

/** What `direct` fetches use: git's proxy for https and the settings behind it (redacted). */
export interface GitView {
  /** The git binary asked; null when git is not installed. */
  git: string | null;
  /** Why git's configuration could not be read. */
  error: string | null;
  https_proxy: { value: string | null; source: GitProxySource } | null;
  /** What go itself uses for https (HTTPS_PROXY, then https_proxy). */
  go_https_proxy: string | null;
  /** git and go use the same proxy. */
  agrees: boolean;
  settings: GitSetting[];
}

// ---------------------------------------------------------------------------------------------
// Profiles, plans and the journal (contract: "Issue 3 additions"). Values are redacted by the
// backend (URL passwords → `xxxxx`) everywhere, `export_profile`'s TOML text included; saving a
// value whose masked password is unchanged keeps the stored password.

/** A setting a profile can hold: the same 12 names as the status report. */
export type Setting = VarName;

/** A place in a file (1-based line and column), for messages that point at the cause. */
export interface Position {
  file: string;
  line: number;
  column: number;
}

/** Why a profile cannot be used. */
export interface Problem {
  /** The setting at fault, if one is. */
  setting: string | null;
  message: string;
  position: Position | null;
}

export interface Profile {
  /** Stable id: lower-case letters, digits, `-`, `_` (`domestic`, `acme`). */
  id: string;
  /** The user's label; built-ins have none (the UI translates their names). */
  label: string | null;
  /** Shipped with modroute and not replaced by a profile of the same id in profiles.toml. */
  builtin: boolean;
  /** The settings it sets; a setting it does not name is removed when it is applied. */
  values: Partial<Record<string, string>>;
  /** Settings a template still needs (the `corporate` built-in). */
  missing: string[];
  /** Where it is defined in profiles.toml (user profiles). */
  origin: Position | null;
  /** Empty when the profile can be used. */
  problems: Problem[];
  /**
   * The profile's own choices about optional switch targets (`docker = true|false` in its
   * table); `null` follows Settings → Switch targets. Absent from older backends.
   */
  targets?: ProfileTargets;
}

/** A profile's overrides of the optional switch targets. */
export interface ProfileTargets {
  /** Write Docker's client config.json (proxies.default) when switching to this profile. */
  docker: boolean | null;
}

/** `list_profiles`, and the answer of `save_profile` and `import_profile`. */
export interface ProfileList {
  /** The user's profiles.toml (it may not exist yet). */
  path: string | null;
  /** The profile applied last, if any. */
  active: string | null;
  profiles: Profile[];
}

/** The output formats of `modroute env --format <f>`, in the order they are offered. */
export const EXPORT_FORMATS = [
  'sh',
  'fish',
  'powershell',
  'cmd',
  'dotenv',
  'docker-build-args',
  'dockerfile',
  'github-actions',
  'gitlab-ci',
  'json',
] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/**
 * One format's snippet of a profile (`export_env { id }` answers one per format). `text` holds
 * the real values, passwords included — it is what Copy copies; `masked` is what the panel shows
 * until the user reveals. Both are null, and `refused` says why, when the format cannot carry a
 * value of the profile.
 */
export interface EnvSnippet {
  format: ExportFormat;
  text: string | null;
  masked: string | null;
  refused: string | null;
}

/** What a profile to save looks like (`save_profile { profile }`). */
export interface ProfileInput {
  id: string;
  label: string | null;
  /** Only the settings that are set; an absent one is removed when the profile is applied. */
  values: Record<string, string>;
}

/**
 * `profiles`: profiles.toml itself (a fastest-first plan rewrites the profile's GOPROXY);
 * `vscode`, `goland`: IDE settings — a switch writes them (VS Code's `go.toolsEnvVars`, a
 * JetBrains project's Go Modules environment) and doctor fixes edit them.
 */
export type TargetKind = 'go_env' | 'shell_env' | 'rc_file' | 'session' | 'profiles' | 'vscode' | 'goland' | 'docker' | 'git';

/** One file a switch writes. */
export interface FileChange {
  target: TargetKind | string;
  /** The path as the user knows it (may be a symlink). */
  path: string;
  /** The file actually written (symlinks resolved). */
  real_path: string;
  /** Permission bits for a new file, e.g. 420 = 0644. */
  new_mode: number;
  /** The new content holds a credential: written 0600. */
  private: boolean;
  /** Unified diff (credentials redacted); "" when the file does not change. */
  diff: string;
}

/** A non-file step, run after the files are written. */
export interface Action {
  kind: 'run' | string;
  argv: string[];
  /** Skipped quietly when the program is missing or fails (e.g. no systemd user manager). */
  optional: boolean;
}

/** A target that cannot be written; a plan with refusals cannot be applied. */
export interface Refusal {
  target: TargetKind | string;
  path: string;
  reason: string;
  /** Lines the user can add by hand. */
  manual: string | null;
}

/** Something that will still beat the new values. */
export interface PlanWarning {
  setting: string | null;
  message: string;
}

/** How a target picks up a switch (shown with that target's rows). */
export interface PlanNote {
  target: TargetKind | string;
  message: string;
}

/** `plan_profile`: everything a switch would do. */
export interface Plan {
  profile: string;
  files: FileChange[];
  actions: Action[];
  refusals: Refusal[];
  warnings: PlanWarning[];
  /** One per target kind at most (absent in plans from older backends). */
  notes?: PlanNote[];
}

export interface ActionResult {
  action: Action;
  /** null when it ran; "skipped: …" or the failure otherwise. */
  error: string | null;
}

/** `apply_profile` and `undo`: what was done. */
export interface Receipt {
  /** The journal entry. */
  entry: string;
  /** The profile switched to (for `undo`: the switch that was undone). */
  profile: string;
  written: string[];
  actions: ActionResult[];
}

export type EntryStatus = 'pending' | 'applied' | 'rolled_back' | 'undone';

export interface JournalFile {
  target: TargetKind | string;
  path: string;
  real_path: string;
  /** Backup of the old content; null when the switch created the file. */
  before: string | null;
  /** Backup of the new content; null when the switch deleted the file. */
  after: string | null;
}

/** One switch in the journal (`history`, newest first). */
export interface HistoryEntry {
  id: string;
  profile: string;
  /** Unix seconds. */
  created: number;
  /** `pending`: the switch was interrupted before it finished. */
  status: EntryStatus | string;
  files: JournalFile[];
  actions?: unknown[];
}

// ---------------------------------------------------------------------------------------------
// The health check (contract: "Issue 4 additions"). Every URL is redacted by the backend.

/** What an endpoint is: a GOPROXY entry, the checksum database, or an HTTP(S) proxy. */
export type EndpointKind = 'goproxy' | 'sumdb' | 'http_proxy';

/** The closed set of outcomes, in the contract's order. */
export const OUTCOMES = [
  'ok',
  'slow',
  'not_found',
  'http_error',
  'proxy_auth_required',
  'auth_required',
  'tls_untrusted',
  'tls_hostname',
  'timeout',
  'refused',
  'dns',
  'protocol_error',
] as const;

export type Outcome = (typeof OUTCOMES)[number];

/** Where a probe can fail. The first five are timed (the waterfall); `protocol` is not. */
export const STAGES = ['dns', 'connect', 'proxy', 'tls', 'http', 'protocol', 'vcs'] as const;
export type Stage = (typeof STAGES)[number];

/** Milliseconds per stage of the first sample; null = the stage did not run. `http_ms` is TTFB. */
export interface StageTimings {
  dns_ms: number | null;
  connect_ms: number | null;
  proxy_ms: number | null;
  tls_ms: number | null;
  http_ms: number | null;
  /** `direct`: the `git ls-remote` go runs (absent from older reports). */
  vcs_ms?: number | null;
}

export interface TlsInfo {
  version: string;
  subject: string;
  issuer: string;
  /** RFC 3339, e.g. "2027-01-01T00:00:00Z". */
  not_after: string;
  /** false: the chain ends at a CA the system does not ship — TLS interception. */
  public_ca: boolean;
  chain: string[];
}

/** The forward proxy an endpoint is reached through, and the variable that named it. */
export interface ProxyUsed {
  url: string;
  from: string;
}

/** One endpoint's result (`run_check` → results, and the `result` event). */
export interface EndpointResult {
  index: number;
  endpoint: string;
  kind: EndpointKind | string;
  outcome: Outcome | string;
  failed_stage: Stage | string | null;
  stages: StageTimings;
  total_ms: number;
  /** Successful samples only. */
  samples_ms: number[];
  median_ms: number | null;
  /** One English line (the fallback when a translated template lacks its parameters). */
  detail: string;
  /** What `go` would print. */
  go_error: string | null;
  /** Values for translated details: status, issuer, host, stage, … */
  params: Record<string, string | number | null | undefined>;
  http_status: number | null;
  /** Resolved locally; [] when the proxy resolves the name. */
  addresses: string[];
  proxy: ProxyUsed | null;
  /** null, "loopback", or the NO_PROXY entry that matched (the endpoint is reached directly). */
  no_proxy: string | null;
  tls: TlsInfo | null;
  /** sumdb: where its traffic goes (the GOPROXY's /sumdb/<name> or the database itself). */
  via: string | null;
  /** GOPROXY URL entries: true when the separator after it is `|`. */
  fall_back_on_error: boolean | null;
  /** Where the credentials go sends come from; absent or null when it sends none. */
  credentials?: CredentialSource | null;
}

/** A netrc line (`file` shown under ~) or the user info written in the URL. */
export type CredentialSource =
  | { kind: 'netrc'; file: string; line: number }
  | { kind: 'url_user_info' };

/** A healthy GOPROXY URL entry and its median latency (fastest first). */
export interface RankEntry {
  endpoint: string;
  median_ms: number;
}

/** `run_check` (and `modroute check --json`). */
export interface CheckReport {
  /** null: the effective settings of this environment. */
  profile: string | null;
  /** The probe module. */
  module: string;
  /** Unix seconds. */
  checked_at: number;
  elapsed_ms: number;
  /** Per-endpoint deadline (all stages, all samples). */
  timeout_ms: number;
  /** `go` would get the probe module through this route. */
  healthy: boolean;
  verdict: string;
  /** Input order: GOPROXY entries, then sumdb, then HTTP proxies. */
  results: EndpointResult[];
  ranking: RankEntry[];
  /** GOPROXY with the healthy mirrors fastest first, when that differs from now. */
  reorder: string | null;
}

export interface PlannedEndpoint {
  index: number;
  endpoint: string;
  kind: EndpointKind | string;
}

/** Streamed through the `onEvent` channel of `run_check`, in completion order. */
export type CheckEvent =
  | { event: 'planned'; endpoints: PlannedEndpoint[] }
  | { event: 'stage'; index: number; stage: Stage | string; ms: number }
  | { event: 'result'; result: EndpointResult };

/** One endpoint in a past run. */
export interface RunResult {
  endpoint: string;
  kind: EndpointKind | string;
  outcome: Outcome | string;
  median_ms: number | null;
}

/** One past check (`check_history`). */
export interface CheckRunSummary {
  checked_at: number;
  profile: string | null;
  healthy: boolean;
  elapsed_ms: number;
  results: RunResult[];
}

/** `check_history`: newest first, at most 200 runs. */
export interface CheckHistory {
  runs: CheckRunSummary[];
}

/** `health_state` and the `modroute://health` event: the latest check of the active profile. */
export interface HealthState {
  profile: string | null;
  healthy: boolean;
  checked_at: number;
  /** Endpoints that failed. */
  failing: string[];
}

// ---------------------------------------------------------------------------------------------
// Why and doctor (contract: "Issue 5 additions"). Every URL is redacted by the backend.

/** How bad a finding is, worst first. */
export const SEVERITIES = ['error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * A fix as data (Rust `doctor::Fix`, tagged by `kind`). The UI never builds one: it passes the
 * finding's `fix_action` back unchanged to `plan_fix` / `apply_fix`.
 */
export type KnownFix =
  | { kind: 'set_go_env'; var: string; value: string }
  | { kind: 'unset_go_env'; var: string }
  | { kind: 'normalize_go_env' }
  | { kind: 'comment_out_shadow'; file: string; line: number }
  | { kind: 'remove_vs_code_key'; file: string; key_path: string[] }
  | { kind: 'remove_go_land_env'; file: string; var: string; line: number };

export const FIX_KINDS = [
  'set_go_env',
  'unset_go_env',
  'normalize_go_env',
  'comment_out_shadow',
  'remove_vs_code_key',
  'remove_go_land_env',
] as const satisfies readonly KnownFix['kind'][];

/** A kind a newer backend added: still passed back as is, described by the finding's `fix` text. */
export interface OtherFix {
  kind: string;
  [field: string]: unknown;
}

export type Fix = KnownFix | OtherFix;

/** A problem the doctor found, with where it is and how to fix it. */
export interface DoctorFinding {
  /** The rule (`shadowed-by-vscode`, `goproxy-comma-after-private-proxy`, …). */
  id: string;
  severity: Severity;
  var: string | null;
  /** A context id of the report (`bash-login`), or a place such as `goenv`. */
  context: string;
  file: string | null;
  line: number | null;
  /** One English sentence (redacted). */
  message: string;
  /** The fix in words (English), when there is one. */
  fix: string | null;
  /** The fix as data; null when the fix is advice only (no Fix button). */
  fix_action: Fix | null;
}

/** The closed set of context kinds, in the contract's order. */
export const CONTEXT_KINDS = [
  'process',
  'shell',
  'ide_launch',
  'session',
  'vscode',
  'goland',
  'direnv',
  'go_binary',
  'running_process',
  'docker',
  'sudo',
  'git',
] as const;
export type ContextKind = (typeof CONTEXT_KINDS)[number];

export type ContextStatus = 'ok' | 'error' | 'timeout' | 'skipped';

/** A place whose view of the settings the doctor read: a shell, an IDE, a `go` binary, a process. */
export interface DoctorContext {
  /** `process`, `bash-login`, `vscode-user:Code`, `go:/usr/bin/go`, `pid:1234`, … */
  id: string;
  kind: ContextKind | string;
  /** English, e.g. "bash (login)". */
  label: string;
  status: ContextStatus | string;
  error: string | null;
  elapsed_ms: number | null;
  file: string | null;
  pid: number | null;
  /** Running processes: started before the last switch, so they still see the old values. */
  started_before_switch: boolean | null;
}

/** What one context sees for one setting. */
export interface MatrixCell {
  /** What that context sets; null = not set there. */
  value: string | null;
  /** What go would use there. */
  effective: string;
  file: string | null;
  line: number | null;
  /** effective differs from the reference (what go sees in this process). */
  mismatch: boolean;
}

export interface DoctorSummary {
  errors: number;
  warnings: number;
  infos: number;
}

/** `run_doctor` (and `modroute doctor --json`). */
export interface DoctorReport {
  /** Unix seconds. */
  generated_at: number;
  project: string | null;
  /** What go sees in this process, per setting. */
  reference: Record<string, string>;
  contexts: DoctorContext[];
  /** setting → context id → cell. */
  matrix: Record<string, Record<string, MatrixCell>>;
  findings: DoctorFinding[];
  summary: DoctorSummary;
}

/** What `,` and `|` mean after a GOPROXY entry (`stop`: the last entry, direct or off). */
export type OnError = 'next_on_not_found' | 'next_on_any_error' | 'stop';

/** One place go asks for the module, in order. */
export interface WhyAttempt {
  /** A proxy URL (redacted), `direct` or `off`. */
  source: string;
  on_error: OnError | string;
  /** The HTTP proxy the request goes through (for direct: the go-get fetch's proxy). */
  http_proxy: string | null;
  /** null, "loopback", or the NO_PROXY entry that matched. */
  no_proxy: string | null;
  /** Example requests, case-encoded. */
  requests: string[];
  /** English: "GOPROXY entry 1", "GONOPROXY matches (pattern …)". */
  reason: string;
  /** With `probe`: the live check of this source. */
  probe: EndpointResult | null;
}

export const MATCH_VARS = ['GOPRIVATE', 'GONOPROXY', 'GONOSUMDB', 'GOINSECURE'] as const;
export type MatchVar = (typeof MATCH_VARS)[number];

export interface WhyChecksum {
  verified: boolean;
  db: string | null;
  /** `<proxy>/sumdb/<db>`, `direct` or null. */
  via: string | null;
  /** Proxies asked for /sumdb/<db>/supported, in order. */
  candidates: string[];
  /** GONOSUMDB | GOPRIVATE | GOSUMDB=off | null. */
  skipped_by: string | null;
  http_proxy: string | null;
}

/** `explain_route` (and `modroute why --json`). */
export interface WhyReport {
  module: string;
  profile: string | null;
  /** Why go would not fetch it at all (a malformed path, an empty GOPROXY list). */
  error: string | null;
  /** The pattern of each setting that matched the module; null = no match. */
  matches: Partial<Record<MatchVar | string, string | null>>;
  /** GONOPROXY / GONOSUMDB: the value used came from GOPRIVATE. */
  derived: Partial<Record<string, string | null>>;
  attempts: WhyAttempt[];
  /** Entries after direct/off, never tried ("https://x (after direct)"). */
  ignored: string[];
  /** GOINSECURE matches: direct fetches may use http and skip TLS verification. */
  insecure: boolean;
  checksum: WhyChecksum;
  /** English, one sentence each. */
  steps: string[];
  /** With `probe`: where go would end up (English). */
  outcome: string | null;
  /** For a `direct` attempt: what git does with the repository (its own configuration). */
  git?: WhyGit | null;
}

/** git's part of `direct`: the repository, the URL after insteadOf, the proxy git uses. */
export interface WhyGit {
  repo: string;
  known: boolean;
  rewritten: string | null;
  rewritten_by: string | null;
  rewritten_in: string | null;
  proxy: string | null;
  proxy_from: string;
  proxy_source: { from: 'config'; key: string; scope: string; file: string | null } | { from: 'env'; var: string } | { from: 'none' };
  ca_info: string | null;
  credential_helpers: number;
}

/** `plan_fix`: a plan like `plan_profile`'s (targets may be vscode, goland); `profile` names no profile. */
export type FixPlan = Omit<Plan, 'profile'> & { profile: string | null };

/** `apply_fix`: a receipt like `apply_profile`'s; journaled, undone by `undo`. */
export type FixReceipt = Omit<Receipt, 'profile'> & { profile: string | null };

/** `targets.toml`: the optional switch targets. */
export interface TargetPrefs {
  /** null: automatic — on for the VS Code flavours whose settings configure the Go extension. */
  vscode: boolean | null;
  /** Also write VS Code's own `http.proxy`. */
  vscode_http_proxy: boolean;
  /** JetBrains projects (absolute directories) whose Go Modules environment follows switches. */
  jetbrains_projects: string[];
  docker: boolean;
  git: boolean;
}

/** One VS Code flavour as a switch target. */
export interface VscodeFlavour {
  product: string;
  /** Its user settings.json. */
  settings: string;
  installed: boolean;
  /** Its settings have a `go.*` key. */
  configures_go: boolean;
  /** A switch writes it with the current choice. */
  follows: boolean;
}

/** One JetBrains project that follows switches. */
export interface JetbrainsProject {
  path: string;
  workspace: string;
  exists: boolean;
  /** It has an .idea directory. */
  is_jetbrains: boolean;
}

/** `get_targets` / `set_targets`: the choices and what they mean on this machine. */
export interface TargetsView {
  prefs: TargetPrefs;
  /** targets.toml. */
  file: string | null;
  /** What "automatic" means now: on (for the flavours that configure Go). */
  vscode_automatic: boolean;
  vscode: VscodeFlavour[];
  jetbrains: JetbrainsProject[];
}
