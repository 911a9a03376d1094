import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';
import { i18n } from './lib/i18n/index.svelte';
import { theme } from './lib/theme.svelte';

// Apply language and theme before the first paint (App keeps them in sync afterwards).
document.documentElement.lang = i18n.locale;
document.documentElement.dataset.theme = theme.resolved;
document.title = i18n.t('app.name');

const target = document.getElementById('app');
if (!target) throw new Error('#app is missing from index.html');

export default mount(App, { target });
