// geotag map: entry point. Wires the map, the basemap, the report layer,
// the panels and the URL state together.

import * as api from './api.js';
import { watchHeader, once } from './layout.js';
import { Basemap, OSM_URL, OSM_ATTRIBUTION, PLACES_ATTRIBUTION } from './basemap.js';
import { ReportLayer } from './markers.js';
import { readURL, writeURL, bboxOf } from './state.js';
import { el, debounce, placeLabel } from './text.js';
import { normalize, toFeature, popupContent } from './report.js';
import { ReportForm } from './form.js';
import { TimeBar } from './timebar.js';
import { PlaceSearch } from './search.js';
import { Review } from './review.js';
import { correctionBody } from './tagpanel.js';
import { Export } from './export.js';
import { TagFilter } from './tags.js';
import { Importer } from './import.js';
import { PlaceLabels } from './labels.js';
import { DensityLayer } from './heat.js';
import { MoreFilters, filterParams } from './filters.js';
import { Unlocated } from './unlocated.js';
import { Incidents, sameEventSection } from './incidents.js';
import { offerSplit } from './split.js';
import { eventIcon, clusterIcon, cellIcon, addLegend, EventFilter, EVENT_KEYS, setEventParams, stackToggle, setTaxonomy, eventSection } from './events.js';
import { Splitter } from './liveblog.js';
import { Views } from './views.js';
import { Feeds } from './feeds.js';
import { ArticleFetch } from './article.js';
import { Rules } from './rules.js';

const L = window.L;

class App {
  constructor() {
    // A login link signs in at once only a browser with no other token:
    // replacing one is asked first (askLinkToken).
    const link = api.takeTokenFromFragment();
    this.linkToken = '';
    if (link && !api.getToken()) api.setToken(link);
    else if (link && link !== api.getToken()) this.linkToken = link;
    this.state = readURL();
    this.viewID = new URLSearchParams(location.search).get('view'); // a saved view to open (views.js)
    this.filters = { from: this.state.from, to: this.state.to, since: this.state.since, q: this.state.q || '', status: this.state.status || '', tag: this.state.tag || '',
      tagMode: this.state.tagMode || 'any', place: this.state.place || '', placeName: this.state.placeName || '' };
    for (const k of EVENT_KEYS) this.filters[k] = this.state[k] || '';
    this.map = L.map('map', {
      center: this.state.center || [30, 20],
      zoom: this.state.zoom ?? 3,
      worldCopyJump: true,
      maxZoom: 19,
      minZoom: 2,
      zoomControl: true,
      keyboard: true,
    });
    this.map.attributionControl.addAttribution(PLACES_ATTRIBUTION);
    this.layer = new ReportLayer(this.map, (id, marker) => this.openReport(id, marker), { icon: eventIcon, clusterIcon, cellIcon });
    this.mentionLayer = L.layerGroup().addTo(this.map); // the places named by the open report
    this.toastEl = document.getElementById('toast');
    this.ready = false;
    this.loads = 0;
    this.maxMarkers = 2000;
  }

  async start() {
    watchHeader(document.querySelector('header.bar'));
    const cfg = await this.config();
    this.basemap = new Basemap(this.map, cfg.tiles, (reason) => {
      this.offline = reason;
      if (this.labels) this.labels.follow(this.basemap);
      // Said once per browser and reason, not on every load.
      if (once('tiles:' + reason)) this.toast('No map tiles (' + reason + '): showing the built-in country outlines.', 'info');
    });
    this.labels = new PlaceLabels(this.map, this.basemap);
    this.density = new DensityLayer(this);
    this.unlocated = new Unlocated(this);
    this.form = new ReportForm(this);
    this.timebar = new TimeBar(document.getElementById('histogram'), document.getElementById('time-label'),
      (from, to, since) => this.setFilter({ from: from || undefined, to: to || undefined, since: since || undefined }));
    this.timebar.setWindow(this.filters.from, this.filters.to);
    // Another zone for times: the open panel and popup show it (when.js).
    document.addEventListener('geotag:timezone', () => {
      const r = this.current, m = r && this.layer.markers.get(r.id);
      if (m && m.isPopupOpen()) m.setPopupContent(this.popupFor(r));
      this.review.load();
      if (this.activePanel === 'report' && this.review.report && !this.review.editor) this.review.show(this.review.report);
    });
    this.places = new PlaceSearch(this);
    this.review = new Review(this);
    this.exporter = new Export(this);
    this.importer = new Importer(this);
    this.splitter = new Splitter(this);
    this.views = new Views(this);
    this.feeds = new Feeds(this);
    this.articleFetch = new ArticleFetch(this);
    this.rules = new Rules(this);
    this.legend();
    this.eventsUI();
    this.noticeUI();
    window.addEventListener('online', () => this.load());
    window.addEventListener('beforeunload', (e) => { if (this.review.editor && this.review.editor.dirty()) e.preventDefault(); });
    this.checkToken();
    const st = document.getElementById('status-filter');
    st.value = this.filters.status;
    st.addEventListener('change', () => this.setFilter({ status: st.value }));
    this.tags = new TagFilter((tag) => { if (tag !== this.filters.tag) { this.setFilter({ tag }); this.more.show(); } }, () => this.query());
    this.tags.show(this.filters.tag);
    this.more = new MoreFilters(this);
    const panel = this.state.panel;
    this.panels();
    this.tokenUI();
    const q = document.getElementById('q');
    q.value = this.filters.q;
    document.getElementById('search-form').addEventListener('submit', (e) => { e.preventDefault(); this.setFilter({ q: q.value.trim() }); });
    q.addEventListener('input', debounce(() => this.setFilter({ q: q.value.trim() }), 500));
    document.addEventListener('keydown', (e) => {
      if (e.key === '/' && !isTyping(e.target)) { e.preventDefault(); q.focus(); }
      if (e.key === 'Escape' && this.picking) this.cancelPick();
    });
    this.map.on('moveend', debounce(() => { this.syncURL(); this.load(); }, 250));
    await this.load();
    this.tags.suggest(); // the list the edit form's tag field offers too
    this.review.load();
    if (this.state.selected) await this.openReport(this.state.selected, null, { fly: !this.state.center, restore: !!this.state.center });
    if (panel === 'report' && this.state.selected) await this.openDetail(this.state.selected);
    else if (panel && panel !== 'report') this.showPanel(panel);
    if (this.viewID) await this.views.openID(this.viewID);
    if (this.linkToken) await this.askLinkToken(this.linkToken);
    this.ready = true;
    document.body.dataset.ready = 'true';
  }

  async config() {
    const cfg = { tiles: { url: OSM_URL, attribution: OSM_ATTRIBUTION, maxZoom: 19 } };
    try {
      const c = await api.get('/api/v1/config');
      const t = c && (c.tiles || c.tile_url !== undefined && { url: c.tile_url, attribution: c.tile_attribution });
      if (t && typeof t === 'object') {
        if (typeof t.url === 'string') cfg.tiles.url = ['none', 'off', ''].includes(t.url.trim()) ? '' : t.url;
        if (t.attribution) cfg.tiles.attribution = t.attribution;
        if (t.max_zoom) cfg.tiles.maxZoom = t.max_zoom;
      }
      this.serverConfig = c;
    } catch { /* an older server or no config route: defaults */ }
    return cfg;
  }

  // query returns the API query of the current filters and view.
  query(withBBox = true) {
    const p = new URLSearchParams();
    if (withBBox) {
      const bb = bboxOf(this.map.getBounds().pad(0.25));
      if (bb) p.set('bbox', bb);
    }
    if (this.filters.from) p.set('from', this.filters.from);
    if (this.filters.to) p.set('to', this.filters.to);
    if (this.filters.q) p.set('q', this.filters.q);
    if (this.filters.status) p.set('status', this.filters.status);
    filterParams(p, this.filters); // tags (any or all) and place
    setEventParams(p, this.filters);
    return p;
  }

  async load() {
    const seq = ++this.loads;
    if (this.incidents && this.incidents.showing) { // incidents instead of reports (incidents.js)
      try {
        this.total = await this.incidents.load();
        if (seq !== this.loads) return;
        this.mode = 'incidents';
        this.timebar.setCount(this.total);
        this.emit('loaded');
      } catch (err) { this.handleError(err); }
      return;
    }
    const p = this.query();
    p.set('limit', String(this.maxMarkers));
    // All the markers or none: a dense view gets only its count, then clusters.
    p.set('whole', 'true');
    try {
      const fc = await api.get('/api/v1/reports?' + p.toString());
      if (seq !== this.loads) return;
      const feats = (fc && fc.features) || [];
      // Past 10,000 matches the service gives a lower bound ("10,000+").
      this.totalAtLeast = fc.numberMatched == null && fc.numberMatchedAtLeast != null;
      this.total = fc.numberMatched ?? fc.numberMatchedAtLeast ?? feats.length;
      if (this.total > feats.length) {
        // Too many to draw one by one: server-side cluster counts.
        const cp = this.query();
        cp.set('zoom', String(Math.min(18, Math.round(this.map.getZoom()))));
        const cells = await api.get('/api/v1/cells?' + cp.toString());
        if (seq !== this.loads) return;
        this.mode = 'cells';
        this.layer.set([]);
        this.layer.showCells((cells.features || []).map(f => ({ lon: f.geometry.coordinates[0], lat: f.geometry.coordinates[1],
          count: f.properties.count, by_precision: f.properties.by_precision, by_event_type: f.properties.by_event_type })),
          (c) => this.map.flyTo([c.lat, c.lon], Math.min(18, this.map.getZoom() + 2)));
      } else {
        this.mode = 'markers';
        this.layer.clearCells();
        this.layer.refLng = this.map.getCenter().lng;
        this.layer.set(feats);
        this.hideFiltered(p);
      }
      this.timebar.setCount(this.total, this.totalAtLeast);
      this.lastLoaded = p.toString();
      this.loadError = '';
      document.body.classList.remove('load-failed');
      this.updateNotice();
      this.emit('loaded');
    } catch (err) {
      if (seq !== this.loads) return;
      this.loadError = err.message;
      document.body.classList.add('load-failed');
      this.updateNotice();
      if (err.status === 401) this.handleError(err);
    }
    this.loadHistogram();
  }

  // loadHistogram fetches the time histogram of the reports in view with
  // the other filters but no time window, when any of those changed: the
  // service counts them from its indexes, whatever their number.
  async loadHistogram() {
    const p = this.query();
    p.delete('from');
    p.delete('to');
    p.set('bins', '1000');
    if (this.stackTypes) p.set('by', 'event_type');
    const key = p.toString();
    if (key === this.histKey) return;
    this.histKey = key;
    try {
      const h = await api.get('/api/v1/histogram?' + key);
      if (key !== this.histKey) return;
      this.timebar.setHistogram(h);
      // Fitted to the bulk of the reports: its finer bins, counted anew.
      const bulk = this.timebar.bulk();
      if (!bulk) return;
      p.set('from', new Date(bulk[0]).toISOString());
      p.set('to', new Date(bulk[1]).toISOString());
      const fine = await api.get('/api/v1/histogram?' + p.toString());
      if (key === this.histKey) this.timebar.setBulkHistogram(fine, bulk);
    } catch { this.histKey = ''; }
  }

  noticeUI() {
    const Notice = L.Control.extend({
      options: { position: 'topleft' },
      onAdd: () => { const d = el('div', { class: 'map-notice', role: 'status', hidden: true }); L.DomEvent.disableClickPropagation(d); return d; },
    });
    this.notice = new Notice().addTo(this.map).getContainer();
  }

  // updateNotice explains an empty map or a failed load.
  updateNotice() {
    const n = this.notice;
    if (!n) return;
    n.textContent = '';
    n.classList.remove('error');
    const filtered = this.filters.from || this.filters.to || this.filters.q || this.filters.status || this.filters.tag || this.filters.place || EVENT_KEYS.some(k => this.filters[k]);
    if (this.loadError) {
      n.classList.add('error');
      n.append('Reports could not be loaded: ' + this.loadError, el('button', { type: 'button', text: 'Retry', onclick: () => this.load() }));
    } else if (this.total === 0 && filtered) {
      n.append('No reports match these filters in this area.', el('button', { type: 'button', text: 'Clear filters', onclick: () => this.clearFilters() }));
    } else if (this.total === 0) {
      n.append('No reports in this area yet.', el('button', { type: 'button', text: 'New report', onclick: () => this.showPanel('new') }));
    } else {
      n.hidden = true;
      return;
    }
    n.hidden = false;
  }

  clearFilters() {
    document.getElementById('q').value = '';
    document.getElementById('status-filter').value = '';
    this.tags.show('');
    this.timebar.stop();
    this.eventFilter.show({});
    this.setFilter({ from: undefined, to: undefined, since: undefined, q: '', status: '', tag: '', place: '', placeName: '', event_type: '', fatalities_min: '', fatalities_max: '', actor: '' });
    this.more.show();
  }

  // eventsUI adds the event legend, the Events filter menu and the time
  // bar's "by type" toggle (events.js).
  eventsUI() {
    setTaxonomy(this.serverConfig && this.serverConfig.event_types);
    addLegend(this.map);
    this.eventFilter = new EventFilter(document.getElementById('status-filter'), this.filters, (v) => this.setFilter(v));
    stackToggle((on) => { this.stackTypes = on; this.timebar.stack = on; this.loadHistogram(); });
    this.incidents = new Incidents(this);
    this.incidents.addSwitch();
  }

  // splitUI offers to split a selection of the panel's text off report r
  // as a new report (split.js).
  splitUI(container, r) {
    offerSplit(container, r, {
      writer: !(this.me && this.me.read_only),
      onDone: (ans) => {
        const n = this.onChanged(ans.report);
        this.review.show(n);
        for (const x of ans.new || []) this.onChanged(x);
        this.toast(`Split off ${(ans.new || []).length} new report${(ans.new || []).length === 1 ? '' : 's'}; this one keeps the rest.`, 'ok');
        this.histKey = '';
        this.load();
        this.review.load();
        this.emit('split', ans);
      },
      onError: (err) => this.handleError(err, document.getElementById('detail-error')),
    });
  }

  // sameEventPanel is the report panel's same-event block (incidents.js).
  sameEventPanel(r) {
    return sameEventSection(this, r, !(this.me && this.me.read_only));
  }

  // eventPanel is the report panel's event block (events.js).
  eventPanel(r) {
    const writer = !(this.me && this.me.read_only);
    return eventSection(r, { writer, onSaved: (res) => { const n = this.onChanged(res); this.review.show(n); this.histKey = ''; this.load(); }, onError: (err) => this.handleError(err) });
  }

  legend() {
    const Legend = L.Control.extend({
      options: { position: 'bottomleft' },
      onAdd: () => el('details', { class: 'map-legend', open: window.innerWidth > 720 },
        el('summary', { text: 'Legend' }),
        el('div', {}, el('i', { class: 'gt-marker gt-p1' }), 'site or town'),
        el('div', {}, el('i', { class: 'gt-marker gt-p2' }), 'district or vicinity'),
        el('div', {}, el('i', { class: 'gt-marker gt-p3' }), 'region or country (centroid)'),
        el('div', {}, el('i', { class: 'legend-cluster' }), 'group of reports (count; zoom in)'),
        el('div', { class: 'hint' }, 'group border: solid, all sites; double, a district; dashed, a region inside'),
        el('div', { class: 'hint' }, 'red: unreviewed · green: reviewed')),
    });
    new Legend().addTo(this.map);
  }

  // filterByTag shows only the reports tagged tag (a tag clicked in a
  // popup or the report panel); the tag box shows it and clears it.
  filterByTag(tag) {
    this.tags.show(tag);
    this.setFilter({ tag });
    // The tag shown as the filter's is marked where the report is open.
    const r = this.current, m = r && this.layer.markers.get(r.id);
    if (m && m.isPopupOpen()) m.setPopupContent(this.popupFor(r));
    if (this.activePanel === 'report' && this.review.report && !this.review.editor) this.review.show(this.review.report);
    this.toast('Showing only reports tagged “' + tag + '”. Clear the tag box to see all.', 'info');
  }

  // popupFor builds r's popup: Open goes to the report panel, a tag
  // filters by it, and the tag filtered by now is marked.
  popupFor(r) {
    return popupContent(r, () => this.openDetail(r.id), (t) => this.filterByTag(t), this.filters.tag);
  }

  setFilter(f) {
    Object.assign(this.filters, f);
    if ('from' in f || 'to' in f) this.timebar.setWindow(this.filters.from, this.filters.to);
    this.syncURL();
    this.load();
    // The review list and its count follow the filters too.
    if (!this.reloadReview) this.reloadReview = debounce(() => this.review.load(), 300);
    this.reloadReview();
  }

  syncURL() {
    const c = this.map.getCenter();
    this.state.center = [c.lat, c.lng];
    this.state.zoom = this.map.getZoom();
    Object.assign(this.state, { from: this.filters.from, to: this.filters.to, since: this.filters.since, q: this.filters.q, status: this.filters.status, tag: this.filters.tag,
      tagMode: this.filters.tagMode, place: this.filters.place, placeName: this.filters.placeName });
    for (const k of EVENT_KEYS) this.state[k] = this.filters[k];
    writeURL(this.state);
  }

  async openReport(id, marker, opts = {}) {
    this.layer.select(id);
    this.state.selected = id;
    this.syncURL();
    let r;
    try {
      r = normalize(await api.get('/api/v1/reports/' + encodeURIComponent(id)));
    } catch (err) {
      this.handleError(err);
      return;
    }
    this.current = r;
    this.showMentions(r);
    marker = marker || this.layer.markers.get(id);
    const content = this.popupFor(r);
    // Closing the popup deselects the report and takes its place rings
    // away (unless the report panel shows it).
    const closed = () => {
      if (this.state.selected === id && !(this.activePanel === 'report' && this.review.report && this.review.report.id === id)) {
        this.state.selected = '';
        this.layer.select('');
        this.syncURL();
        if (this.mentionLayer.reportId === id) this.showMentions(null);
      }
    };
    const clustered = marker && this.layer.cluster.hasLayer(marker) && !marker._icon;
    if (marker && !(clustered && opts.restore)) {
      const show = () => {
        marker.unbindPopup();
        marker.bindPopup(content, { maxWidth: 340, minWidth: 220, autoPanPadding: [40, 40], autoPan: !opts.restore }).openPopup();
        marker.getPopup().once('remove', closed);
      };
      if (clustered) this.layer.cluster.zoomToShowLayer(marker, show);
      else show();
    } else if (marker || r.location) {
      // A shared link keeps its view: a report inside a cluster opens its
      // popup where the report is, over the cluster.
      const ll = marker ? marker.getLatLng() : L.latLng(r.location.lat, r.location.lon);
      if (opts.fly) this.map.setView(ll, Math.max(this.map.getZoom(), 8));
      this.freePopup = L.popup({ maxWidth: 340, minWidth: 220, autoPan: !opts.restore, className: 'report-popup' }).setLatLng(ll).setContent(content).openOn(this.map);
      this.freePopup.reportId = id;
      this.freePopup.once('remove', closed);
    }
    this.emit('opened');
  }

  // hideFiltered closes the open report's popup and place rings when the
  // filters no longer select it (a page of markers holds every match in
  // view; a report out of view keeps them, as panning back shows it).
  hideFiltered(p) {
    const id = this.mentionLayer.reportId;
    const r = this.current;
    if (!id || this.layer.features.has(id) || !r || !r.location) return;
    const bb = p.get('bbox');
    if (bb) {
      const [w, s, e, n] = bb.split(',').map(Number);
      const { lat, lon } = r.location;
      if (lat < s || lat > n || (w <= e ? lon < w || lon > e : lon < w && lon > e)) return;
    }
    if (this.activePanel === 'report' && this.review.report && this.review.report.id === id) return;
    this.showMentions(null);
    this.map.closePopup();
  }

  // showMentions draws the places a report names, besides its main marker.
  showMentions(r) {
    this.mentionLayer.clearLayers();
    this.mentionLayer.reportId = r ? r.id : '';
    if (!r) return;
    const seen = new Set();
    for (const m of r.mentions) {
      if (!m.place || seen.has(m.place.id + ':' + m.place.lat)) continue;
      seen.add(m.place.id + ':' + m.place.lat);
      const cm = L.circleMarker([m.place.lat, m.place.lon], { radius: 6, className: 'mention-marker' });
      cm.bindTooltip(el('span', { text: m.text + ' → ' + placeLabel(m.place) }), { direction: 'top' });
      cm.place = m.place;
      cm.mentionText = m.text;
      this.mentionLayer.addLayer(cm);
    }
  }

  // mentionMarkers lists the open report's place markers, for tests.
  mentionMarkers() {
    const out = [];
    this.mentionLayer.eachLayer(l => { const ll = l.getLatLng(); out.push({ text: l.mentionText, name: l.place.name, lat: ll.lat, lon: ll.lng }); });
    return out;
  }

  // openDetail opens a report in the side panel for correction.
  async openDetail(id) {
    const ed = this.review.editor;
    if (ed && ed.dirty() && !window.confirm('Discard your unsaved changes to “' + (ed.report.title || 'this report') + '”?')) return;
    try {
      const r = normalize(await api.get('/api/v1/reports/' + encodeURIComponent(id)));
      this.review.open = -1;
      this.review.show(r);
      this.showPanel('report');
      this.layer.select(id);
      this.state.selected = id;
      this.syncURL();
      this.showMentions(r);
      if (r.location && !this.map.getBounds().contains([r.location.lat, r.location.lon])) this.map.panTo([r.location.lat, r.location.lon]);
      const h = document.getElementById('report-h');
      h.tabIndex = -1;
      h.focus();
      this.emit('detail', id);
    } catch (err) {
      this.handleError(err);
    }
  }

  onSaved(report) {
    const r = normalize(report);
    const f = toFeature(r);
    this.layer.upsert(f);
    this.toast('Report saved' + (r.location ? ' at ' + (r.location.name || 'its location') : ' (no place found, so it is not on the map)') + '.', 'ok');
    if (r.location) this.openReport(r.id, this.layer.markers.get(r.id));
    this.histKey = '';
    this.load();
    this.review.load();
    this.emit('saved', r);
  }

  // onChanged takes a report the API changed and updates the map.
  onChanged(report) {
    const r = normalize(report);
    this.layer.upsert(toFeature(r));
    if (this.mentionLayer.reportId === r.id) this.showMentions(r);
    const m = this.layer.markers.get(r.id);
    if (m && m.isPopupOpen()) m.setPopupContent(this.popupFor(r));
    // The popup of a clustered report and the report the popup was made of.
    const fp = this.freePopup;
    if (fp && fp.reportId === r.id && fp.isOpen()) fp.setContent(this.popupFor(r));
    if (this.current && this.current.id === r.id) this.current = r;
    return r;
  }

  // onDeleted removes a deleted report from the map.
  onDeleted(id) {
    this.layer.remove(id);
    this.layer.features.delete(id);
    if (this.mentionLayer.reportId === id) this.showMentions(null);
    if (this.state.selected === id) { this.state.selected = ''; this.syncURL(); }
    this.map.closePopup();
    this.histKey = '';
    this.load();
  }

  // recordCorrections replays the corrections made on a draft against the
  // stored report, through the corrections API, so that each is recorded
  // in the report's history. Returns the report as the API last answered.
  async recordCorrections(report, decisions) {
    let r = report;
    const key = (s) => s.toLowerCase();
    const removed = new Map(); // key → nths removed so far
    for (const d of decisions) {
      const c = d.c;
      let body;
      if (c.action === 'add') {
        const cps = Array.from(r.text);
        const want = Array.from(c.text);
        let start = -1;
        for (let s = 0; s + want.length <= cps.length; s++) {
          if (cps.slice(s, s + want.length).join('') === c.text && !r.mentions.some(m => m.start < s + want.length && s < m.end)) { start = s; break; }
        }
        if (start < 0) continue;
        body = { action: 'add', start, end: start + want.length };
        if (c.place.id) body.place_id = c.place.id; else { body.lat = c.place.lat; body.lon = c.place.lon; }
      } else {
        // Mentions removed earlier in this replay no longer count.
        const nth = (d.nth || 0) - (removed.get(d.key) || []).filter(n => n < (d.nth || 0)).length;
        let i = -1;
        for (let j = 0, k = 0; j < r.mentions.length; j++) {
          if (key(r.mentions[j].text) === d.key && k++ === nth) { i = j; break; }
        }
        if (i < 0) continue;
        if (c.action === 'remove' && !c.all) removed.set(d.key, [...(removed.get(d.key) || []), d.nth || 0]);
        body = correctionBody(i, c);
      }
      const res = await api.post(`/api/v1/reports/${encodeURIComponent(r.id)}/corrections`, body);
      r = res.report;
    }
    return r;
  }

  // pickPoint lets the analyst click the map once; cb gets the LatLng
  // under the pointer. Markers and circles let the click through while
  // picking (css .picking), and the point is read from the pointer, never
  // from a small circle's centre (Leaflet gives a marker's own LatLng for
  // a click on it).
  pickPoint(cb) {
    this.cancelPick();
    this.picking = cb;
    this.map.getContainer().classList.add('picking');
    this.toast('Click the map to place the point (Esc cancels).', 'info');
    this.pickHandler = (e) => { const f = this.picking; this.cancelPick(); f(e.originalEvent ? this.map.mouseEventToLatLng(e.originalEvent) : e.latlng); };
    this.map.once('click', this.pickHandler);
  }

  cancelPick() {
    if (this.pickHandler) this.map.off('click', this.pickHandler);
    this.picking = null;
    this.pickHandler = null;
    this.map.getContainer().classList.remove('picking');
  }

  panels() {
    this.panelEl = document.getElementById('panel');
    for (const b of document.querySelectorAll('.tab[data-panel]')) {
      b.addEventListener('click', () => this.showPanel(this.activePanel === b.dataset.panel ? '' : b.dataset.panel));
    }
    document.getElementById('panel-close').addEventListener('click', () => this.showPanel(''));
    this.showPanel('');
  }

  showPanel(name) {
    this.activePanel = name;
    for (const s of this.panelEl.querySelectorAll('.panel-body')) s.hidden = s.id !== 'panel-' + name;
    for (const b of document.querySelectorAll('.tab[data-panel]')) b.setAttribute('aria-pressed', String(b.dataset.panel === name));
    document.body.classList.toggle('panel-open', !!name);
    this.state.panel = name && name !== 'token' ? name : '';
    this.syncURL();
    setTimeout(() => this.map.invalidateSize(), 0);
    this.emit('panel', name);
    if (name === 'new') document.getElementById('f-title').focus();
  }

  // checkToken finds out who the stored token belongs to (whoAmI) and
  // offers Import and Edit only to tokens that may write.
  async checkToken() {
    await this.whoAmI();
    document.getElementById('tab-import').hidden = !!(this.me && this.me.read_only);
    this.emit('me', this.me);
  }

  // whoAmI asks the service who the stored token belongs to and shows
  // it on the Sign in tab; a token the service no longer accepts is said so.
  async whoAmI() {
    const tab = document.getElementById('tab-token');
    const status = document.getElementById('token-status');
    const needed = !this.serverConfig || this.serverConfig.auth_required !== false;
    if (!api.getToken()) {
      this.me = null;
      tab.textContent = 'Sign in';
      tab.hidden = !needed;
      status.textContent = 'Not signed in.';
      return;
    }
    try {
      const me = await api.get('/api/v1/me');
      this.me = me && me.authenticated ? me : null;
      tab.hidden = false;
      tab.textContent = this.me ? 'Signed in: ' + (this.me.name || 'token') : 'Sign in';
      status.textContent = this.me ? `Signed in as ${this.me.name || 'a token'}${this.me.read_only ? ' (read-only: saving and corrections are refused)' : ''}.` : 'Not signed in.';
    } catch (err) {
      if (err.status === 401) {
        this.me = null;
        tab.hidden = false;
        tab.textContent = 'Sign in';
        status.textContent = 'The stored token is no longer accepted; paste a new one.';
        this.toast('The stored access token is no longer accepted.', 'error');
      }
    }
  }

  // askLinkToken shows who a login link signs in as, next to who is
  // signed in now, and switches only when the user says so; the stored
  // token stays otherwise. A token the service does not accept cannot be
  // chosen. It returns once the question is shown.
  async askLinkToken(tok) {
    const box = document.getElementById('token-link');
    const who = document.getElementById('token-link-who');
    const use = document.getElementById('token-link-use');
    const keep = document.getElementById('token-link-keep');
    const role = (m) => m.admin ? 'an admin token: may read, write and manage tokens' :
      m.read_only ? 'a read-only token' : 'a token that may read and write';
    let link = null;
    try {
      const m = await api.get('/api/v1/me', { token: tok });
      if (m && m.authenticated) link = m;
    } catch { /* refused or unreachable: not offered */ }
    who.textContent = link ? `This link signs you in as “${link.name || link.id}” (${role(link)}).` :
      'This link holds a token the service does not accept.';
    document.getElementById('token-link-current').textContent = this.me ?
      `You are signed in as “${this.me.name || this.me.id}” (${role(this.me)}).` : 'A token is stored in this browser already.';
    use.hidden = !link;
    if (link) use.textContent = `Sign in as “${link.name || link.id}”`;
    keep.textContent = this.me ? `Stay signed in as “${this.me.name || this.me.id}”` : 'Keep the stored token';
    const done = (switched) => {
      box.hidden = true;
      this.linkToken = '';
      use.onclick = keep.onclick = null;
      if (!switched) { this.toast('Kept the stored access token.', 'info'); return; }
      api.setToken(tok);
      this.checkToken();
      this.toast(`Signed in as ${link.name || link.id}.`, 'ok');
      this.histKey = '';
      this.load();
      this.review.load();
    };
    use.onclick = () => done(true);
    keep.onclick = () => done(false);
    box.hidden = false;
    keep.focus(); // the safe answer is the default

  }

  tokenUI() {
    const f = document.getElementById('token-form');
    const inp = document.getElementById('token-input');
    f.addEventListener('submit', (e) => {
      e.preventDefault();
      api.setToken(inp.value.trim());
      inp.value = '';
      this.checkToken();
      this.toast('Token saved in this browser.', 'ok');
      this.showPanel(this.afterToken || '');
      this.histKey = '';
      this.load();
      this.review.load();
    });
    document.getElementById('token-forget').addEventListener('click', () => { api.setToken(''); this.checkToken(); this.toast('Token forgotten.', 'info'); });
  }

  // handleError shows err in target (a form's error line) or as a toast;
  // a 401 opens the token panel.
  handleError(err, target) {
    let msg = err && err.message ? err.message : String(err);
    if (err && err.status === 401) {
      document.getElementById('tab-token').hidden = false;
      this.afterToken = this.activePanel;
      this.toast(msg + ' Enter it in the Access token panel.', 'error');
      this.showPanel('token');
      document.getElementById('token-input').focus();
      return;
    }
    if (target) { target.textContent = msg; target.hidden = false; } else this.toast(msg, 'error');
  }

  toast(msg, kind = 'info') {
    const t = this.toastEl;
    t.textContent = msg;
    t.className = 'toast toast-' + kind;
    t.hidden = false;
    t.onclick = () => { t.hidden = true; }; // a tap puts it away
    clearTimeout(this.toastTimer);
    this.toastTimer = setTimeout(() => { t.hidden = true; }, kind === 'error' ? 9000 : 4500);
  }

  emit(name, detail) {
    document.dispatchEvent(new CustomEvent('geotag:' + name, { detail }));
  }
}

function isTyping(t) {
  return t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable);
}

const app = new App();
// The page's objects, for tests and for analysts' browser consoles: not a
// copy, so changing them changes the page.
window.geotag = {
  app,
  get ready() { return app.ready; },
  reports: () => app.layer.list(),
  previews: () => app.form ? app.form.previews() : [],
  mentionMarkers: () => app.mentionMarkers(),
  basemap: () => app.basemap ? { mode: app.basemap.mode, loaded: app.basemap.loaded, errors: app.basemap.errors, outlines: app.basemap.outlinesCount || 0 } : null,
  filters: () => ({ ...app.filters }),
  total: () => app.total,
  mode: () => app.mode,
  lastLoaded: () => app.lastLoaded || '',
  view: () => { const c = app.map.getCenter(); return { lat: c.lat, lon: c.lng, zoom: app.map.getZoom() }; },
  exportCount: () => app.exporter ? app.exporter.count : undefined,
  placeLabels: () => app.labels ? app.labels.shown : [],
};
app.start().catch((err) => { app.toast('The map failed to start: ' + err.message, 'error'); console.error(err); });
