//! The tray icon: one-click switching between profiles from the desktop's status area.
//!
//! The menu lists every usable profile (the active one checked), a separator, then "Show
//! modroute", "Undo last switch" (enabled when a switch is in effect) and "Quit". Choosing a
//! profile switches as the window's Apply button does ([`commands::switch`]: plan, then
//! one journaled transaction; shadowing exports in rc files are kept, since the tray shows no
//! preview to consent to) on a blocking worker — never on the main thread, which runs the
//! event loop — then shows a desktop notification, rebuilds the menu (new check mark) and
//! emits [`SWITCHED_EVENT`] so an open window refreshes its panels. The switch is journaled like
//! any other, so the History panel can undo it.
//!
//! Layout:
//! - the pure part — which items, which one is checked, their texts and ids, the notification
//!   texts, the language — is [`menu_items`], [`Item`], [`Action`], [`notice`] and [`Lang`],
//!   unit-tested below;
//! - the glue to Tauri's menu and tray API ([`install`], [`refresh`], [`refresh_later`]) and to
//!   the desktop's notification service (notify-rust: D-Bus on Linux).
//!
//! The tray exists only in the real app: [`crate::run`] calls [`install`], and a failure (no
//! tray support on this desktop) is logged and the app runs without one. Everything else here
//! is a no-op when there is no tray, so the IPC tests on the mock runtime never create one.
//!
//! Texts follow the system locale (`LC_ALL`, `LC_MESSAGES`, `LANG`): Chinese for `zh*`, else
//! English. The window's own language setting lives in the webview and is not seen here.

use modroute_core::profile::Listing;
use modroute_core::{Env, apply, profile};
use tauri::menu::{CheckMenuItem, IsMenuItem, Menu, MenuEvent, MenuItem, PredefinedMenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Emitter, Manager, Runtime};

use crate::commands::{self, LaunchEnv};

/// The tray icon's id (also names its icon file in the temporary icon directory on Linux).
pub const TRAY_ID: &str = "modroute";

/// The app event emitted after a switch or an undo made from the tray, with a
/// [`SwitchedPayload`]; the window listens and reloads its stores.
pub const SWITCHED_EVENT: &str = "modroute://switched";

/// What [`SWITCHED_EVENT`] carries.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct SwitchedPayload {
    /// `"switched"` or `"undone"`.
    pub kind: &'static str,
    /// The profile switched to, or the one whose switch was undone.
    pub profile: String,
}

/// The language of the tray's texts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    /// English.
    En,
    /// Simplified Chinese.
    Zh,
}

impl Lang {
    /// The language of the launch environment's locale: the first non-empty of `LC_ALL`,
    /// `LC_MESSAGES`, `LANG` (POSIX precedence); Chinese when it starts with `zh`.
    pub fn from_env(env: &Env) -> Lang {
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .find_map(|name| env.get_non_empty(name));
        match locale {
            Some(locale) if locale.to_ascii_lowercase().starts_with("zh") => Lang::Zh,
            _ => Lang::En,
        }
    }
}

/// One entry of the tray menu.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
    /// A usable profile; `checked` marks the active one.
    Profile {
        /// The profile id.
        id: String,
        /// What the user reads: their label, a built-in's name, else the id.
        label: String,
        /// The switch in effect is to this profile.
        checked: bool,
    },
    /// A line that cannot be clicked (the profiles file cannot be read, or no usable profile).
    Notice(String),
    /// A separator line.
    Separator,
    /// Brings the window to the front.
    Show,
    /// Undoes the newest switch (what History's Undo does).
    Undo {
        /// A switch is in effect.
        enabled: bool,
    },
    /// Quits the app.
    Quit,
}

/// What a click on a menu entry asks for (parsed back from the entry's menu id).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// Switch to this profile.
    Use(String),
    /// Show the window.
    Show,
    /// Undo the newest switch.
    Undo,
    /// Quit.
    Quit,
}

const USE_PREFIX: &str = "use:";

impl Action {
    /// The action of a menu id made by [`Item::menu_id`]; `None` for ids not ours.
    pub fn from_menu_id(id: &str) -> Option<Action> {
        match id {
            "show" => Some(Action::Show),
            "undo" => Some(Action::Undo),
            "quit" => Some(Action::Quit),
            _ => id
                .strip_prefix(USE_PREFIX)
                .filter(|profile| !profile.is_empty())
                .map(|profile| Action::Use(profile.to_string())),
        }
    }
}

impl Item {
    /// The menu id of a clickable entry (see [`Action::from_menu_id`]).
    pub fn menu_id(&self) -> Option<String> {
        match self {
            Item::Profile { id, .. } => Some(format!("{USE_PREFIX}{id}")),
            Item::Show => Some("show".into()),
            Item::Undo { .. } => Some("undo".into()),
            Item::Quit => Some("quit".into()),
            Item::Notice(_) | Item::Separator => None,
        }
    }

    /// The entry's text in `lang`, as the user reads it (before mnemonic escaping).
    pub fn text(&self, lang: Lang) -> String {
        let fixed = |en: &str, zh: &str| match lang {
            Lang::En => en.to_string(),
            Lang::Zh => zh.to_string(),
        };
        match self {
            Item::Profile { label, .. } => label.clone(),
            Item::Notice(text) => text.clone(),
            Item::Separator => String::new(),
            Item::Show => fixed("Show modroute", "显示 modroute"),
            Item::Undo { .. } => fixed("Undo last switch", "撤销上次切换"),
            Item::Quit => fixed("Quit", "退出"),
        }
    }
}

/// What a profile is called, as the window calls it: the user's label, else a built-in's
/// name, else the id.
pub fn profile_label(id: &str, label: Option<&str>, lang: Lang) -> String {
    if let Some(own) = label.map(str::trim).filter(|l| !l.is_empty()) {
        return own.to_string();
    }
    let builtin = match (id, lang) {
        ("domestic", Lang::En) => "Domestic mirror",
        ("official", Lang::En) => "Official",
        ("corporate", Lang::En) => "Corporate",
        ("domestic", Lang::Zh) => "国内镜像",
        ("official", Lang::Zh) => "官方源",
        ("corporate", Lang::Zh) => "企业内网",
        _ => id,
    };
    builtin.to_string()
}

/// The label of profile `id` in `listing` (or its built-in name, or the id).
fn label_in(listing: Option<&Listing>, id: &str, lang: Lang) -> String {
    let own = listing
        .and_then(|l| l.profiles.iter().find(|p| p.id == id))
        .and_then(|p| p.label.as_deref());
    profile_label(id, own, lang)
}

/// The tray menu for a profile listing, or for `Err(message)` when the profiles file cannot be
/// loaded (then `active` comes from the journal alone).
///
/// Every usable profile in listing order, the active one checked; unusable ones (templates,
/// invalid values) are left out — the window explains them. Then a separator, Show, Undo
/// (enabled when a switch is in effect: undo reverts exactly the switch that made a profile
/// active) and Quit.
pub fn menu_items(listing: Result<&Listing, &str>, active: Option<&str>, lang: Lang) -> Vec<Item> {
    let mut items = Vec::new();
    match listing {
        Ok(listing) => {
            items.extend(listing.profiles.iter().filter(|p| p.is_usable()).map(|p| {
                Item::Profile {
                    id: p.id.clone(),
                    label: profile_label(&p.id, p.label.as_deref(), lang),
                    checked: active == Some(p.id.as_str()),
                }
            }));
            if items.is_empty() {
                items.push(Item::Notice(match lang {
                    Lang::En => "No usable profile".into(),
                    Lang::Zh => "没有可用的配置".into(),
                }));
            }
        }
        Err(message) => items.push(Item::Notice(match lang {
            Lang::En => format!("Profiles unavailable: {}", first_line(message)),
            Lang::Zh => format!("无法读取配置：{}", first_line(message)),
        })),
    }
    items.push(Item::Separator);
    items.push(Item::Show);
    items.push(Item::Undo {
        enabled: active.is_some(),
    });
    items.push(Item::Quit);
    items
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or_default()
}

/// How a tray action ended, for the notification.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Switched to the profile with this label.
    Switched(String),
    /// Could not switch to the profile with this label; the error message.
    SwitchFailed(String, String),
    /// Undid the switch to the profile with this label.
    Undone(String),
    /// Could not undo; the error message.
    UndoFailed(String),
}

/// The notification for an outcome: (summary, body).
pub fn notice(outcome: &Outcome, lang: Lang) -> (String, String) {
    let summary = "modroute".to_string();
    let body = match (outcome, lang) {
        (Outcome::Switched(name), Lang::En) => format!("Switched to {name} — undo in History"),
        (Outcome::Switched(name), Lang::Zh) => format!("已切换到 {name} — 可在“历史记录”中撤销"),
        (Outcome::SwitchFailed(name, error), Lang::En) => {
            format!("Could not switch to {name}: {error}")
        }
        (Outcome::SwitchFailed(name, error), Lang::Zh) => format!("无法切换到 {name}：{error}"),
        (Outcome::Undone(name), Lang::En) => format!("Undid the switch to {name}"),
        (Outcome::Undone(name), Lang::Zh) => format!("已撤销切换到 {name}"),
        (Outcome::UndoFailed(error), Lang::En) => format!("Could not undo: {error}"),
        (Outcome::UndoFailed(error), Lang::Zh) => format!("无法撤销：{error}"),
    };
    (summary, body)
}

/// A menu text with `&` kept literal (menus read `&x` as a mnemonic marker).
fn menu_text(text: &str) -> String {
    text.replace('&', "&&")
}

// ---- glue: Tauri's tray and menu, notifications ---------------------------------------------

/// The current menu: reads the profiles and the journal (blocking I/O: not on the main thread).
fn current_items(env: &Env) -> Vec<Item> {
    let lang = Lang::from_env(env);
    match profile::listing(env) {
        Ok(listing) => menu_items(Ok(&listing), listing.active.as_deref(), lang),
        Err(err) => {
            let active = apply::active_profile(env);
            menu_items(Err(&err.to_string()), active.as_deref(), lang)
        }
    }
}

/// Tauri menu entries for `items` (created on the main thread by Tauri itself).
fn build_menu<R: Runtime>(
    app: &AppHandle<R>,
    items: &[Item],
    lang: Lang,
) -> tauri::Result<Menu<R>> {
    let mut entries: Vec<Box<dyn IsMenuItem<R>>> = Vec::with_capacity(items.len());
    for item in items {
        let text = menu_text(&item.text(lang));
        let id = item.menu_id().unwrap_or_default();
        let entry: Box<dyn IsMenuItem<R>> = match item {
            Item::Profile { checked, .. } => Box::new(CheckMenuItem::with_id(
                app,
                id,
                text,
                true,
                *checked,
                None::<&str>,
            )?),
            Item::Separator => Box::new(PredefinedMenuItem::separator(app)?),
            Item::Notice(_) => Box::new(MenuItem::new(app, text, false, None::<&str>)?),
            Item::Undo { enabled } => {
                Box::new(MenuItem::with_id(app, id, text, *enabled, None::<&str>)?)
            }
            Item::Show | Item::Quit => {
                Box::new(MenuItem::with_id(app, id, text, true, None::<&str>)?)
            }
        };
        entries.push(entry);
    }
    let refs: Vec<&dyn IsMenuItem<R>> = entries.iter().map(|e| e.as_ref()).collect();
    Menu::with_items(app, &refs)
}

/// Creates the tray icon (the app icon) with the current menu. Call from a worker thread: it
/// reads the profiles; Tauri creates the native objects on the main thread.
pub fn install<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<()> {
    let env = app.state::<LaunchEnv>().0.clone();
    let lang = Lang::from_env(&env);
    let menu = build_menu(app, &current_items(&env), lang)?;
    let mut builder = TrayIconBuilder::with_id(TRAY_ID)
        .menu(&menu)
        .tooltip("modroute")
        .show_menu_on_left_click(true)
        .on_menu_event(on_menu_event);
    if let Some(icon) = app.default_window_icon() {
        builder = builder.icon(icon.clone());
    }
    // Linux writes the icon to a PNG file for the indicator; keep it in the app's own cache
    // directory rather than a /tmp/tray-icon shared by every user and app.
    if let Ok(dir) = app.path().app_cache_dir() {
        builder = builder.temp_dir_path(dir.join("tray"));
    }
    builder.build(app)?;
    Ok(())
}

/// Rebuilds the tray menu from the profiles and journal as they are now. Blocking (reads
/// files); does nothing when there is no tray.
pub fn refresh<R: Runtime>(app: &AppHandle<R>) {
    let Some(tray) = app.tray_by_id(TRAY_ID) else {
        return;
    };
    let env = app.state::<LaunchEnv>().0.clone();
    let lang = Lang::from_env(&env);
    let result =
        build_menu(app, &current_items(&env), lang).and_then(|menu| tray.set_menu(Some(menu)));
    if let Err(err) = result {
        eprintln!("modroute: could not update the tray menu: {err}");
    }
}

/// [`refresh`] on a blocking worker, for callers on the async runtime or the main thread.
pub fn refresh_later<R: Runtime>(app: &AppHandle<R>) {
    if app.tray_by_id(TRAY_ID).is_none() {
        return;
    }
    let app = app.clone();
    tauri::async_runtime::spawn_blocking(move || refresh(&app));
}

/// Handles a click in the tray menu (called on the main thread: only dispatches).
fn on_menu_event<R: Runtime>(app: &AppHandle<R>, event: MenuEvent) {
    match Action::from_menu_id(event.id().as_ref()) {
        Some(Action::Use(id)) => {
            let app = app.clone();
            tauri::async_runtime::spawn_blocking(move || use_profile(&app, &id));
        }
        Some(Action::Undo) => {
            let app = app.clone();
            tauri::async_runtime::spawn_blocking(move || undo(&app));
        }
        Some(Action::Show) => show_window(app),
        Some(Action::Quit) => app.exit(0),
        None => {}
    }
}

/// Switches to `id` from the tray (blocking): apply, notify, refresh the menu, tell the window,
/// re-check the (new) active route.
fn use_profile<R: Runtime>(app: &AppHandle<R>, id: &str) {
    let env = app.state::<LaunchEnv>().0.clone();
    let lang = Lang::from_env(&env);
    // No preview from the tray, so no consent to edit the user's own rc files: shadowing
    // exports are kept (the window's Profiles panel lists and fixes them).
    let result = commands::switch(
        &env,
        id,
        modroute_core::plan::Options {
            keep_shadows: true,
            ..Default::default()
        },
    );
    let listing = profile::listing(&env).ok();
    let name = label_in(listing.as_ref(), id, lang);
    let outcome = match &result {
        Ok(_) => Outcome::Switched(name),
        Err(err) => Outcome::SwitchFailed(name, err.message.clone()),
    };
    notify(&outcome, lang);
    refresh(app);
    if let Ok(receipt) = result {
        emit_switched(app, "switched", receipt.profile);
        crate::health::wake(app);
    }
}

/// Undoes the newest switch from the tray (blocking).
fn undo<R: Runtime>(app: &AppHandle<R>) {
    let env = app.state::<LaunchEnv>().0.clone();
    let lang = Lang::from_env(&env);
    let result = apply::undo(&env).map_err(crate::IpcError::from);
    let outcome = match &result {
        Ok(receipt) => {
            let listing = profile::listing(&env).ok();
            Outcome::Undone(label_in(listing.as_ref(), &receipt.profile, lang))
        }
        Err(err) => Outcome::UndoFailed(err.message.clone()),
    };
    notify(&outcome, lang);
    refresh(app);
    if let Ok(receipt) = result {
        emit_switched(app, "undone", receipt.profile);
        crate::health::wake(app);
    }
}

fn emit_switched<R: Runtime>(app: &AppHandle<R>, kind: &'static str, profile: String) {
    if let Err(err) = app.emit(SWITCHED_EVENT, SwitchedPayload { kind, profile }) {
        eprintln!("modroute: could not tell the window about the switch: {err}");
    }
}

/// Brings the main window to the front.
fn show_window<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

/// Shows a desktop notification; logs (and otherwise ignores) a desktop without a
/// notification service. Blocking (a D-Bus round trip on Linux).
fn notify(outcome: &Outcome, lang: Lang) {
    let (_, body) = notice(outcome, lang);
    notify_text(&body);
}

/// The health badge painted on the tray icon: green (healthy), red (unhealthy), none (unknown).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Badge {
    /// The route works.
    Healthy,
    /// The route does not.
    Unhealthy,
}

impl Badge {
    fn rgb(self) -> [u8; 3] {
        match self {
            Badge::Healthy => [0x1f, 0xa3, 0x4a],
            Badge::Unhealthy => [0xd9, 0x30, 0x25],
        }
    }
}

/// The icon's RGBA pixels with a filled dot (a third of the icon wide, with a white ring) in the
/// bottom-right corner.
pub fn with_badge(rgba: &[u8], width: u32, height: u32, badge: Badge) -> Vec<u8> {
    let mut out = rgba.to_vec();
    let size = width.min(height) as f32;
    let radius = size / 6.0;
    let (cx, cy) = (width as f32 - radius - 1.0, height as f32 - radius - 1.0);
    let [r, g, b] = badge.rgb();
    for y in 0..height {
        for x in 0..width {
            let d = ((x as f32 + 0.5 - cx).powi(2) + (y as f32 + 0.5 - cy).powi(2)).sqrt();
            let pixel = ((y * width + x) * 4) as usize;
            let Some(px) = out.get_mut(pixel..pixel + 4) else {
                continue;
            };
            if d <= radius - size / 32.0 {
                px.copy_from_slice(&[r, g, b, 0xff]);
            } else if d <= radius {
                px.copy_from_slice(&[0xff, 0xff, 0xff, 0xff]);
            }
        }
    }
    out
}

/// Paints the route's health on the tray icon and in its tooltip; no-op without a tray.
pub fn show_health<R: Runtime>(
    app: &AppHandle<R>,
    state: Option<&modroute_core::check::HealthState>,
) {
    let Some(tray) = app.tray_by_id(TRAY_ID) else {
        return;
    };
    let Some(icon) = app.default_window_icon() else {
        return;
    };
    let env = app.state::<LaunchEnv>().0.clone();
    let lang = Lang::from_env(&env);
    let (image, tooltip) = match state {
        Some(s) => {
            let badge = if s.healthy {
                Badge::Healthy
            } else {
                Badge::Unhealthy
            };
            let rgba = with_badge(icon.rgba(), icon.width(), icon.height(), badge);
            let tip = match (s.healthy, lang) {
                (true, Lang::En) => "modroute — route healthy".to_string(),
                (true, Lang::Zh) => "modroute — 线路正常".to_string(),
                (false, Lang::En) => {
                    format!("modroute — route unhealthy: {}", s.failing.join(", "))
                }
                (false, Lang::Zh) => format!("modroute — 线路异常：{}", s.failing.join("，")),
            };
            (
                tauri::image::Image::new_owned(rgba, icon.width(), icon.height()),
                tip,
            )
        }
        None => (icon.clone().to_owned(), "modroute".to_string()),
    };
    if let Err(err) = tray.set_icon(Some(image)) {
        eprintln!("modroute: could not recolour the tray icon: {err}");
    }
    let _ = tray.set_tooltip(Some(tooltip));
}

/// Shows a desktop notification with `body` (see [`notify`]).
pub fn notify_text(body: &str) {
    let summary = "modroute".to_string();
    let body = body.to_string();
    #[cfg(any(target_os = "linux", target_os = "macos", windows))]
    {
        let result = notify_rust::Notification::new()
            .appname("modroute")
            .summary(&summary)
            .body(&body)
            .show();
        if let Err(err) = result {
            eprintln!("modroute: no desktop notification ({err}): {body}");
        }
    }
    #[cfg(not(any(target_os = "linux", target_os = "macos", windows)))]
    eprintln!("modroute: {summary}: {body}");
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// The built-ins plus the user's profiles from `toml`, with `active` in effect.
    fn listing(toml: &str, active: Option<&str>) -> Listing {
        let path = Path::new("/h/.config/modroute/profiles.toml");
        let user = profile::parse_user(toml.as_bytes(), path).expect("valid TOML");
        let mut profiles = profile::builtins();
        for p in user {
            match profiles.iter_mut().find(|b| b.id == p.id) {
                Some(slot) => *slot = p,
                None => profiles.push(p),
            }
        }
        Listing {
            path: Some(path.into()),
            active: active.map(Into::into),
            profiles,
        }
    }

    fn texts(items: &[Item], lang: Lang) -> Vec<String> {
        items.iter().map(|i| i.text(lang)).collect()
    }

    #[test]
    fn usable_profiles_then_the_fixed_entries_the_active_one_checked() {
        let l = listing(
            "[profiles.acme]\nlabel = \"ACME corp\"\nGOPROXY = \"https://athens.acme.example,direct\"\n\
             [profiles.plain]\nGOPROXY = \"direct\"\n",
            Some("official"),
        );
        let items = menu_items(Ok(&l), l.active.as_deref(), Lang::En);
        assert_eq!(
            items,
            vec![
                Item::Profile {
                    id: "domestic".into(),
                    label: "Domestic mirror".into(),
                    checked: false
                },
                Item::Profile {
                    id: "official".into(),
                    label: "Official".into(),
                    checked: true
                },
                // `corporate` is a template until filled in: not usable, not listed.
                Item::Profile {
                    id: "acme".into(),
                    label: "ACME corp".into(),
                    checked: false
                },
                Item::Profile {
                    id: "plain".into(),
                    label: "plain".into(),
                    checked: false
                },
                Item::Separator,
                Item::Show,
                Item::Undo { enabled: true },
                Item::Quit,
            ]
        );
        assert_eq!(
            texts(&items, Lang::En)[4..],
            ["", "Show modroute", "Undo last switch", "Quit"]
        );
    }

    #[test]
    fn nothing_checked_and_undo_disabled_before_any_switch() {
        let l = listing("", None);
        let items = menu_items(Ok(&l), None, Lang::En);
        assert!(
            items
                .iter()
                .all(|i| !matches!(i, Item::Profile { checked: true, .. }))
        );
        assert!(items.contains(&Item::Undo { enabled: false }));
    }

    #[test]
    fn invalid_profiles_are_left_out_and_a_filled_in_template_is_listed() {
        let l = listing(
            "[profiles.bad]\nGOPROXY = \"ftp://x\"\n\
             [profiles.corporate]\nGOPROXY = \"https://athens.corp.example\"\n",
            Some("corporate"),
        );
        let ids: Vec<_> = menu_items(Ok(&l), Some("corporate"), Lang::En)
            .into_iter()
            .filter_map(|i| match i {
                Item::Profile { id, checked, .. } => Some((id, checked)),
                _ => None,
            })
            .collect();
        assert_eq!(
            ids,
            [
                ("domestic".to_string(), false),
                ("official".to_string(), false),
                ("corporate".to_string(), true)
            ]
        );
    }

    #[test]
    fn an_unreadable_profiles_file_still_offers_show_undo_quit() {
        let items = menu_items(
            Err("profiles.toml:3:1: expected `=`\nmore detail"),
            Some("domestic"),
            Lang::En,
        );
        assert_eq!(
            items,
            vec![
                Item::Notice("Profiles unavailable: profiles.toml:3:1: expected `=`".into()),
                Item::Separator,
                Item::Show,
                Item::Undo { enabled: true },
                Item::Quit,
            ]
        );
        assert_eq!(items[0].menu_id(), None, "a notice cannot be clicked");
    }

    #[test]
    fn chinese_labels_for_built_ins_and_fixed_entries() {
        let l = listing(
            "[profiles.acme]\nlabel = \"ACME\"\nGOPROXY = \"direct\"\n",
            None,
        );
        let items = menu_items(Ok(&l), None, Lang::Zh);
        assert_eq!(
            texts(&items, Lang::Zh),
            [
                "国内镜像",
                "官方源",
                "ACME",
                "",
                "显示 modroute",
                "撤销上次切换",
                "退出"
            ]
        );
        assert_eq!(profile_label("corporate", None, Lang::Zh), "企业内网");
        assert_eq!(
            profile_label("corporate", Some("  "), Lang::En),
            "Corporate"
        );
    }

    #[test]
    fn menu_ids_round_trip_to_actions() {
        let l = listing("[profiles.acme-2]\nGOPROXY = \"direct\"\n", Some("acme-2"));
        let actions: Vec<_> = menu_items(Ok(&l), Some("acme-2"), Lang::En)
            .iter()
            .filter_map(Item::menu_id)
            .map(|id| Action::from_menu_id(&id))
            .collect();
        assert_eq!(
            actions,
            [
                Some(Action::Use("domestic".into())),
                Some(Action::Use("official".into())),
                Some(Action::Use("acme-2".into())),
                Some(Action::Show),
                Some(Action::Undo),
                Some(Action::Quit),
            ]
        );
        assert_eq!(Action::from_menu_id("use:"), None);
        assert_eq!(Action::from_menu_id("something-else"), None);
    }

    #[test]
    fn locale_picks_the_language_with_posix_precedence() {
        let lang = |vars: &[(&str, &str)]| Lang::from_env(&Env::from_vars(vars.iter().copied()));
        assert_eq!(lang(&[]), Lang::En);
        assert_eq!(lang(&[("LANG", "zh_CN.UTF-8")]), Lang::Zh);
        assert_eq!(lang(&[("LANG", "zh_CN.UTF-8"), ("LC_ALL", "C")]), Lang::En);
        assert_eq!(
            lang(&[("LANG", "en_US.UTF-8"), ("LC_MESSAGES", "zh_TW")]),
            Lang::Zh
        );
        assert_eq!(lang(&[("LC_ALL", ""), ("LANG", "zh_CN")]), Lang::Zh);
    }

    #[test]
    fn notifications_name_the_profile_and_point_at_history() {
        let (summary, body) = notice(&Outcome::Switched("Official".into()), Lang::En);
        assert_eq!(summary, "modroute");
        assert_eq!(body, "Switched to Official — undo in History");
        assert_eq!(
            notice(&Outcome::Switched("官方源".into()), Lang::Zh).1,
            "已切换到 官方源 — 可在“历史记录”中撤销"
        );
        assert_eq!(
            notice(
                &Outcome::SwitchFailed("ACME".into(), "~/.bashrc is read-only".into()),
                Lang::En
            )
            .1,
            "Could not switch to ACME: ~/.bashrc is read-only"
        );
        assert_eq!(
            notice(&Outcome::UndoFailed("nothing to undo".into()), Lang::En).1,
            "Could not undo: nothing to undo"
        );
    }

    #[test]
    fn the_health_badge_is_a_dot_in_the_bottom_right_corner() {
        let (w, h) = (32u32, 32u32);
        let blank = vec![0u8; (w * h * 4) as usize];
        let green = with_badge(&blank, w, h, Badge::Healthy);
        let red = with_badge(&blank, w, h, Badge::Unhealthy);
        let at = |img: &[u8], x: u32, y: u32| {
            let i = ((y * w + x) * 4) as usize;
            [img[i], img[i + 1], img[i + 2], img[i + 3]]
        };
        assert_eq!(at(&green, 26, 26), [0x1f, 0xa3, 0x4a, 0xff]);
        assert_eq!(at(&red, 26, 26), [0xd9, 0x30, 0x25, 0xff]);
        assert_eq!(
            at(&green, 2, 2),
            [0, 0, 0, 0],
            "the rest of the icon is untouched"
        );
        assert_eq!(at(&green, 26, 20), [0xff, 0xff, 0xff, 0xff], "a white ring");
        assert_eq!(green.len(), blank.len());
    }

    #[test]
    fn ampersands_stay_literal_in_menu_texts() {
        assert_eq!(menu_text("R&D proxy"), "R&&D proxy");
    }
}
