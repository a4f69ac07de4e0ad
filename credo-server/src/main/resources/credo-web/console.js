/* The operator console: the population under each active policy, policy history, and the queues. */
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);
  const message = $('message');
  const state = { token: null, policy: null };

  function call(path) {
    return Credo.api('GET', path, { token: state.token });
  }

  function showSignIn() {
    $('console').classList.add('hidden');
    $('signout').classList.add('hidden');
    $('signin').classList.remove('hidden');
  }

  async function signIn(event) {
    event.preventDefault();
    await Credo.once($('signin-button'), async () => {
      state.token = $('token').value.trim();
      Credo.set('operatorToken', state.token);
      await load();
    });
  }

  function signOut() {
    Credo.set('operatorToken', null);
    state.token = null;
    showSignIn();
    Credo.say(message, 'info', 'Signed out. The token is forgotten in this tab.');
  }

  async function load() {
    Credo.clear(message);
    let distribution;
    try {
      distribution = await call('/v1/distribution' + (state.policy ? '?policy=' + encodeURIComponent(state.policy) : ''));
    } catch (e) {
      if (e.status === 401 || e.status === 403) {
        Credo.set('operatorToken', null);
        state.token = null;
        showSignIn();
        Credo.say(message, 'error', e.code === 'forbidden_role'
          ? 'This is not an operator token. The console needs an operator token.'
          : Credo.explain(e));
      } else {
        Credo.say(message, 'error', Credo.explain(e));
      }
      return;
    }
    $('signin').classList.add('hidden');
    $('console').classList.remove('hidden');
    $('signout').classList.remove('hidden');
    const select = $('policy');
    select.replaceChildren(...distribution.policies.map((p) => Credo.el('option', { value: p, text: p })));
    select.value = distribution.policy;
    state.policy = distribution.policy;
    drawDistribution(distribution);
    Credo.drawn();
    loadPolicies();
    loadDisputes();
    loadSources();
    loadEntries(Object.keys(distribution.lists));
    loadAudit();
  }

  function drawDistribution(d) {
    $('dist-summary').textContent = d.subjects.toLocaleString('en-GB') + ' subjects, '
      + d.records.toLocaleString('en-GB') + ' records, mean score ' + Credo.number(d.mean)
      + ' on ' + d.scale.min + '–' + d.scale.max + ' (' + d.title + ', version ' + d.policyVersion
      + '; rescored in ' + Credo.number(d.computedMicros / 1000) + ' ms at ' + Credo.when(d.at)
      + (d.cached ? ', less than 30 s ago' : '') + ').';
    const width = d.histogram.length ? d.histogram[0].to - d.histogram[0].from : 1;
    Credo.bars($('histogram'), {
      xs: d.histogram.map((b) => b.from),
      ys: d.histogram.map((b) => b.count),
      xRange: [d.scale.min, d.scale.max],
      barSize: 1,
      align: 1,
      xLabel: 'score (bins of ' + Credo.number(width) + ')',
      yLabel: 'subjects',
      height: 260,
    });
    Credo.bars($('grade-chart'), {
      xs: d.grades.map((_, i) => i),
      ys: d.grades.map((g) => g.count),
      labels: d.grades.map((g) => g.grade),
      xRange: [-0.5, d.grades.length - 0.5],
      yLabel: 'subjects',
      fill: '#1b6b2fcc',
      stroke: '#1b6b2f',
    });
    $('grades').replaceChildren(Credo.table('Subjects by grade under ' + d.policy, [
      { label: 'grade', value: (g) => g.grade },
      { label: 'from score', value: (g) => Credo.number(g.min), num: true },
      { label: 'subjects', value: (g) => g.count.toLocaleString('en-GB'), num: true },
      { label: 'share', value: (g) => (d.subjects ? ((100 * g.count) / d.subjects).toFixed(1) + ' %' : ''), num: true },
    ], d.grades));
    const lists = Object.entries(d.lists).map(([name, count]) => ({ name, count }));
    $('list-counts').replaceChildren(Credo.table('On a list now', [
      { label: 'list', value: (l) => l.name },
      { label: 'subjects', value: (l) => l.count.toLocaleString('en-GB'), num: true },
    ], lists, 'Nobody is on a list under this policy.'));
  }

  async function loadPolicies() {
    try {
      const r = await call('/v1/policies');
      $('active').replaceChildren(Credo.table('Active now', [
        { label: 'policy', value: (p) => p.policy },
        { label: 'version', value: (p) => p.version, num: true },
        { label: 'title', value: (p) => p.title },
        { label: 'since', value: (p) => Credo.when(p.since) },
      ], r.active, 'No policy is active.'));
      $('activations').replaceChildren(Credo.table('Every activation, oldest first', [
        { label: 'when', value: (a) => Credo.when(a.at) },
        { label: 'policy', value: (a) => a.policy },
        { label: 'version', value: (a) => a.version, num: true },
        { label: 'title', value: (a) => a.title },
      ], r.activations));
    } catch (e) {
      $('active').replaceChildren(Credo.el('p', { className: 'message error', text: Credo.explain(e) }));
    }
  }

  function unavailable(box, what) {
    box.replaceChildren(Credo.el('p', { className: 'message warn', text: what + ' not available on this server yet.' }));
  }

  function failed(box, what, e) {
    if (Credo.missing(e)) {
      unavailable(box, what);
    } else {
      box.replaceChildren(Credo.el('p', { className: 'message error', text: Credo.explain(e) }));
    }
  }

  function items(r, name) {
    return r && Array.isArray(r[name]) ? r[name] : Array.isArray(r) ? r : [];
  }

  async function loadDisputes() {
    try {
      const r = await call('/v1/disputes?state=open');
      const now = Date.now();
      const open = items(r, 'disputes').slice().sort((a, b) => String(a.deadline).localeCompare(String(b.deadline)));
      const columns = [
        { label: 'deadline', value: (d) => Credo.when(d.deadline) + (Date.parse(d.deadline) < now ? ' (overdue)' : '') },
        { label: 'dispute', value: (d) => d.id },
        { label: 'record', value: (d) => d.recordId || d.record || '' },
        { label: 'source', value: (d) => d.source || '' },
        { label: 'state', value: (d) => d.state || '' },
      ];
      columns.rowClass = (d) => (Date.parse(d.deadline) < now ? 'overdue' : null);
      $('disputes').replaceChildren(Credo.table('Open disputes, nearest deadline first', columns, open, 'No open dispute.'));
    } catch (e) {
      failed($('disputes'), 'The dispute queue is', e);
    }
  }

  async function loadSources() {
    try {
      const r = await call('/v1/sources');
      const sources = items(r, 'sources');
      const keys = sources.length ? Object.keys(sources[0]).filter((k) => typeof sources[0][k] !== 'object') : [];
      $('sources').replaceChildren(Credo.table('Sources', keys.map((k) => ({ label: k, value: (s) => String(s[k]) })), sources, 'No source is registered.'));
    } catch (e) {
      failed($('sources'), 'Source quality is', e);
    }
  }

  async function loadEntries(names) {
    if (names.length === 0) {
      $('entries').replaceChildren(Credo.el('p', { className: 'muted', text: 'Nobody is on a list under this policy.' }));
      return;
    }
    const parts = [];
    for (const name of names) {
      try {
        const r = await call('/v1/lists/' + encodeURIComponent(name));
        parts.push(Credo.table(name, [
          { label: 'subject', value: (x) => x.subject || '' },
          { label: 'basis', value: (x) => x.basis || '' },
          { label: 'from', value: (x) => Credo.day(x.effectiveFrom) },
          { label: 'until', value: (x) => Credo.day(x.until) || 'open' },
        ], items(r, 'entries').slice(0, 100), 'Nobody is on ' + name + '.'));
      } catch (e) {
        failed($('entries'), 'List entries are', e);
        return;
      }
    }
    $('entries').replaceChildren(...parts);
  }

  async function loadAudit() {
    try {
      const r = await call('/v1/audit/verify');
      $('audit').replaceChildren(Credo.el('p', { className: 'message ' + (r.valid || r.ok ? 'ok' : 'error'), text: r.message || JSON.stringify(r) }));
    } catch (e) {
      if (e.code === 'forbidden_role') {
        $('audit').replaceChildren(Credo.el('p', { className: 'message info', text: 'The audit chain is checked with an auditor token (credo audit verify, or GET /v1/audit/verify).' }));
      } else {
        failed($('audit'), 'The audit chain check is', e);
      }
    }
  }

  function start() {
    const fragment = Credo.takeFragment();
    if (fragment.token) {
      Credo.set('operatorToken', fragment.token);
    }
    state.token = Credo.get('operatorToken');
    $('signin-form').addEventListener('submit', signIn);
    $('signout').addEventListener('click', signOut);
    $('policy').addEventListener('change', () => {
      state.policy = $('policy').value;
      load();
    });
    if (state.token) {
      load();
    } else {
      showSignIn();
      Credo.drawn();
    }
  }

  start();
})();
