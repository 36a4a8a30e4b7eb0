// Fetch: the New report form's "Fetch" button next to the source URL. The
// service fetches the page (POST /api/v1/fetch, through its safe client),
// extracts the article's title, time and main text, and the form takes
// them; the analyst checks the places and saves. Fields the analyst has
// already typed are kept.

import * as api from './api.js';
import { inputValue } from './when.js';

export class ArticleFetch {
  constructor(app) {
    this.app = app;
    this.button = document.getElementById('f-fetch');
    this.source = document.getElementById('f-source');
    this.title = document.getElementById('f-title');
    this.text = document.getElementById('f-text');
    this.time = document.getElementById('f-time');
    this.status = document.getElementById('tag-status');
    this.error = document.getElementById('form-error');
    this.button.addEventListener('click', () => this.fetch());
  }

  async fetch() {
    const url = this.source.value.trim();
    if (!/^https?:\/\/\S+$/i.test(url)) {
      this.error.textContent = 'Type or paste the article’s http(s) address in Source URL first.';
      this.error.hidden = false;
      return;
    }
    this.error.hidden = true;
    this.button.disabled = true;
    this.status.textContent = 'Fetching the page…';
    let a;
    try {
      a = await api.post('/api/v1/fetch', { url });
    } catch (err) {
      this.status.textContent = '';
      this.app.handleError(err, this.error);
      return;
    } finally {
      this.button.disabled = false;
    }
    this.source.value = a.url || url;
    if (!this.title.value.trim() && a.title) this.title.value = a.title;
    if (a.time) this.time.value = inputValue(a.time);
    if (!this.text.value.trim() && a.text) {
      this.text.value = a.text;
      this.text.dispatchEvent(new Event('input')); // tag it, as if typed
    }
    this.status.textContent = (a.truncated ? 'Fetched; the text was cut to the longest a report may hold. ' : 'Fetched. ') +
      (a.time ? '' : 'The page gives no publication time: set the event time. ') + 'Check the places, then save.';
  }
}
