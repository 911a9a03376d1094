// English messages. This dictionary defines the message keys: every other locale must provide
// exactly these keys (`Messages`), so a missing translation is a type error.
// Placeholders are written `{name}`. Go's own names (GOPROXY, go env -w, direct, off) stay as is.

export const en = {
  'app.name': 'modroute',
  'app.tagline': 'Go network settings',

  'nav.label': 'Main',
  'nav.overview': 'Overview',
  'nav.settings': 'Settings',

  'overview.title': 'Effective Go network settings',
  'overview.subtitle': 'The value each go command will use, and the layer it comes from.',
  'overview.precedence': 'Precedence',
  'overview.refresh': 'Refresh',
  'overview.refreshing': 'Refreshing…',
  'overview.loading': 'Reading your Go settings…',
  'overview.updatedAt': 'Updated {time}',
  'overview.goenvFile': 'go env file',
  'overview.goroot': 'GOROOT',
  'overview.gorootEnvFile': 'GOROOT/go.env',
  'overview.off': 'off',
  'overview.notFound': 'not found',
  'overview.locationUnknown': 'location unknown',

  'fileState.missing': 'not created yet',
  'fileState.unreadable': 'unreadable',
  'fileState.off': 'disabled by GOENV=off',
  'fileState.unknown': 'location unknown',
  'fileState.offGoroot': 'not read before Go 1.21',

  'foundBy.goenv': 'set in the go env file',
  'foundBy.env': 'from the GOROOT environment variable',
  'foundBy.path': 'from go on PATH',
  'foundBy.go_env_command': 'reported by go env GOROOT',

  'table.caption': 'Go network settings and where each value comes from',
  'table.variable': 'Variable',
  'table.value': 'Effective value',
  'table.source': 'Source',
  'table.groupGo': 'Module settings',
  'table.groupGoHint': 'go reads these from the OS environment, the go env file and GOROOT/go.env',
  'table.groupNetwork': 'Network',
  'table.groupNetworkHint': 'go reads these only from the OS environment',

  'value.unset': '(unset)',
  'value.empty': '(empty)',
  'value.carriageReturn': 'carriage return (\\r)',

  'row.expand': 'Show every layer of {name}',
  'row.fromEnvName': 'from {name}',
  'row.derivedFrom': 'defaults to {name}',
  'row.overridesGoenv': 'overrides the go env file',
  'row.ignoredGoenv': 'go env file value has no effect',
  'row.ignoredGoroot': 'GOROOT/go.env value has no effect',

  'source.env': 'OS environment',
  'source.goenv': 'go env file',
  'source.goroot': 'GOROOT/go.env',
  'source.default': 'default',

  'layer.heading': 'Layers, strongest first',
  'layer.effective': 'in effect',
  'layer.overridden': 'overridden',
  'layer.empty': 'empty, ignored',
  'layer.ignored': 'no effect',
  'layer.unset': 'not set',
  'layer.setAt': 'set at {place}',
  'layer.envName': 'as {name}',
  'layer.networkNoteGoenv':
    'go reads {name} only from the OS environment; the value in the go env file has no effect.',
  'layer.networkNoteGoroot':
    'go reads {name} only from the OS environment; the value in GOROOT/go.env has no effect.',
  'layer.emptyNote': '{name} is exported but empty, so go treats it as unset.',
  'layer.derivedNote': 'Not set anywhere, so it follows the value of {name}.',

  'findings.title': 'Findings in the go env files',
  'note.ignored': 'go ignores this line: a setting must start at the first column with an upper-case name, as in KEY=value.',
  'note.key_space': 'The name before = contains a space, so go never looks this setting up.',
  'note.carriage_return': 'The line ends with a carriage return (CRLF): go keeps the \\r in the value of {key}.',
  'note.quoted': 'The value of {key} is in quotes: go does not remove them, so they become part of the value.',
  'note.duplicate': '{key} is set again on a later line, so this line has no effect.',
  'note.other': 'go may not read this line as intended ({code}).',

  'banner.unreadable': 'Cannot read {file}',
  'banner.unreadableHint': 'go cannot read it either, so the settings in it have no effect.',
  'banner.unknownGoenv': 'The location of the go env file cannot be determined.',
  'banner.unknownGoenvHint': 'go cannot find it either, so only the OS environment, GOROOT/go.env and the defaults apply.',
  'banner.unknownGoroot': 'GOROOT/go.env cannot be located.',
  'banner.unknownGorootHint': 'No go installation was found, so its defaults are not shown.',

  'error.title': 'Could not read the Go settings',
  'error.code': 'Error code',
  'error.retry': 'Try again',
  'error.hint.no_backend': 'This page needs the modroute desktop app: open it from there.',
  'error.hint.io': 'A file could not be read or written.',
  'error.hint.internal': 'modroute hit an internal error. Please report it.',

  'settings.title': 'Settings',
  'settings.subtitle': 'Preferences for this window. They are stored on this computer.',
  'settings.language': 'Language',
  'settings.languageHint': 'By default modroute follows the system language.',
  'settings.theme': 'Theme',
  'settings.themeHint': 'By default modroute follows the system appearance.',
  'settings.system': 'System',
  'settings.systemCurrent': 'currently {value}',

  'lang.en': 'English',
  'lang.zh-CN': '简体中文',

  'theme.light': 'Light',
  'theme.dark': 'Dark',
} as const;

export type MessageKey = keyof typeof en;

/** A complete dictionary: every key, nothing else. */
export type Messages = { readonly [K in MessageKey]: string };
