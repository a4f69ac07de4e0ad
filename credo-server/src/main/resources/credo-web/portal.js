/* The subject portal: everything Credo holds about the signed-in subject, and what they can do. */
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);
  const message = $('message');
  const state = { subject: null, token: null, scores: [], history: null };

  function path(rest) {
    return '/v1/subjects/' + encodeURIComponent(state.subject).replace(/%3A/g, ':') + rest;
  }

  function call(method, rest, body) {
    return Credo.api(method, rest.startsWith('/v1/') ? rest : path(rest), { token: state.token, body });
  }

  function showSignIn() {
    $('portal').classList.add('hidden');
    $('signout').classList.add('hidden');
    $('who').classList.add('hidden');
    $('signin').classList.remove('hidden');
    if (state.subject) {
      $('subject').value = state.subject;
    }
  }

  function showPortal() {
    $('signin').classList.add('hidden');
    $('portal').classList.remove('hidden');
    $('signout').classList.remove('hidden');
    $('who').textContent = state.subject;
    $('who').classList.remove('hidden');
  }

  async function signIn(event) {
    event.preventDefault();
    await Credo.once($('signin-button'), async () => {
      state.subject = $('subject').value.trim();
      state.token = $('token').value.trim();
      Credo.set('subject', state.subject);
      Credo.set('subjectToken', state.token);
      await load();
    });
  }

  function signOut() {
    Credo.set('subjectToken', null);
    state.token = null;
    showSignIn();
    Credo.say(message, 'info', 'Signed out. The token is forgotten in this tab.');
  }

  async function load() {
    Credo.clear(message);
    let score;
    let history;
    try {
      // Consents are the subject's alone: an operator's token, which may read scores, fails there.
      let consents;
      [consents, score, history] = await Promise.all([
        call('GET', '/consents'), call('GET', '/score'), call('GET', '/history?months=12')]);
      state.consents = consents;
    } catch (e) {
      if (e.status !== 429) {
        Credo.set('subjectToken', null);
        state.token = null;
      }
      showSignIn();
      let text = Credo.explain(e);
      if (e.code === 'unknown_subject') {
        text = 'Credo holds no records about ' + state.subject + '.';
      } else if (e.code === 'bad_subject') {
        text = 'That is not a valid identifier: ' + e.message;
      } else if (e.code === 'not_your_subject') {
        text = 'This token belongs to another subject: check the identifier.';
      } else if (e.code === 'forbidden_role') {
        text = 'This is not a subject token. The portal needs the subject token the operator gave you.';
      }
      Credo.say(message, 'error', text);
      return;
    }
    state.scores = score.scores;
    state.history = history;
    showPortal();
    const select = $('policy');
    select.replaceChildren(...state.scores.map((s, i) =>
      Credo.el('option', { value: String(i), text: s.policy + ' (version ' + s.policyVersion + ')' })));
    // Start with the first policy under which Credo holds something about the subject.
    const first = state.scores.findIndex((s) => s.contributions.length > 0);
    select.value = String(Math.max(0, first));
    drawPolicy();
    Credo.drawn();
    loadInquiries();
    loadConsents(state.consents);
    loadNotifications();
    loadDisputes();
  }

  function currentScore() {
    return state.scores[Number($('policy').value) || 0];
  }

  function currentSeries() {
    const s = currentScore();
    return (state.history.series || []).find((x) => x.policy === s.policy);
  }

  function drawPolicy() {
    const s = currentScore();
    if (!s) {
      $('score').replaceChildren(Credo.el('p', { text: 'No active policy scores you.' }));
      return;
    }
    const series = currentSeries();
    drawScore(s, series);
    drawHistory(s, series);
    drawContributions(s);
    drawLists(s);
    const grades = series ? series.grades : [];
    $('claim-grade-value').replaceChildren(...grades.map((g) => Credo.el('option', { value: g.grade, text: g.grade })));
    if (grades.some((g) => g.grade === s.grade)) {
      $('claim-grade-value').value = s.grade;
    }
    $('claim-score-value').value = String(Math.floor(s.score));
    $('claim-score-value').min = String(s.scale.min);
    $('claim-score-value').max = String(s.scale.max);
    $('dispute-record').replaceChildren(...s.contributions.map((c) =>
      Credo.el('option', { value: c.record, text: c.record + ' — ' + c.label + ' (' + Credo.day(c.occurred) + ')' })));
  }

  function drawScore(s, series) {
    const range = s.scale.max - s.scale.min;
    const grades = series ? series.grades : [];
    const meter = Credo.el('meter', {
      id: 'score-meter',
      min: s.scale.min,
      max: s.scale.max,
      low: s.scale.min + range / 3,
      high: s.scale.min + (2 * range) / 3,
      optimum: s.scale.max,
      value: s.score,
      'aria-label': 'Score ' + s.score + ' on a scale of ' + s.scale.min + ' to ' + s.scale.max,
    });
    const bands = Credo.el('ul', { className: 'bands', 'aria-label': 'Grade bands of ' + s.policy },
      grades.map((g) => Credo.el('li', { className: g.grade === s.grade ? 'current' : null, text: g.grade + ' from ' + g.min })));
    const inEffect = s.lists.filter((l) => l.inEffect);
    $('score').replaceChildren(...[
      Credo.el('p', null,
        Credo.el('span', { id: 'score-value', className: 'big', text: Credo.number(s.score) }),
        ' ',
        Credo.el('span', { className: 'muted', text: 'of ' + s.scale.min + '–' + s.scale.max }),
        ' · grade ',
        Credo.el('strong', { id: 'score-grade', text: s.grade })),
      meter,
      Credo.el('div', { className: 'muted', 'aria-hidden': 'true' },
        Credo.el('span', { text: String(s.scale.min) }), ' … ', Credo.el('span', { text: String(s.scale.max) })),
      bands,
      Credo.el('p', { text: inEffect.length === 0 ? 'You are on no list under this policy.' : 'You are on ' + inEffect.map((l) => l.list).join(', ') + '.' }),
      Credo.el('p', { className: 'muted', text: 'Policy ' + s.policy + ' version ' + s.policyVersion + ', as of ' + Credo.when(s.asOf) + '.' }),
      s.notes && s.notes.length ? Credo.el('ul', null, s.notes.map((n) => Credo.el('li', { text: n }))) : null,
    ].filter(Boolean));
  }

  function drawHistory(s, series) {
    const points = series ? series.points : [];
    const box = $('history-chart');
    if (points.length === 0) {
      box.replaceChildren(Credo.el('p', { className: 'muted', text: 'No history.' }));
    } else {
      Credo.lines(box, {
        xs: points.map((p) => Date.parse(p.asOf) / 1000),
        series: [{ label: s.policy, values: points.map((p) => p.score) }],
        yRange: [s.scale.min, s.scale.max],
        yLabel: 'score',
      });
    }
    $('history-table').replaceChildren(Credo.table('Score at the start of each month, as Credo knew it then', [
      { label: 'as of', value: (p) => Credo.day(p.asOf) },
      { label: 'score', value: (p) => Credo.number(p.score), num: true },
      { label: 'grade', value: (p) => p.grade },
    ], points, 'No history.'));
  }

  function drawContributions(s) {
    const box = $('contrib-chart');
    if (s.factors && s.factors.length) {
      Credo.bars(box, {
        xs: s.factors.map((_, i) => i),
        ys: s.factors.map((f) => f.points),
        labels: s.factors.map((f) => f.name),
        xRange: [-0.5, s.factors.length - 0.5],
        yLabel: 'points',
        align: 0,
      });
      $('factors').replaceChildren(Credo.table('Factors', [
        { label: 'factor', value: (f) => f.label },
        { label: 'weight', value: (f) => Credo.number(f.weight), num: true },
        { label: 'signal (0–1)', value: (f) => Credo.number(f.signal), num: true },
        { label: 'points', value: (f) => Credo.number(f.points), num: true },
        { label: 'short of the best by', value: (f) => Credo.number(f.shortfall), num: true },
        { label: 'records', value: (f) => f.records, num: true },
      ], s.factors));
    } else {
      const counted = s.contributions.filter((c) => c.points !== 0);
      if (counted.length === 0) {
        box.replaceChildren(Credo.el('p', { className: 'muted', text: 'No record moves this score.' }));
      } else {
        Credo.bars(box, {
          xs: counted.map((_, i) => i),
          ys: counted.map((c) => c.points),
          labels: counted.map((c) => Credo.day(c.occurred)),
          xRange: [-0.5, counted.length - 0.5],
          yLabel: 'points',
        });
      }
      $('factors').replaceChildren();
    }
    $('contributions').replaceChildren(Credo.table('Every record under ' + s.policy, [
      { label: 'occurred', value: (c) => Credo.day(c.occurred) },
      { label: 'what', value: (c) => c.label },
      { label: 'source', value: (c) => c.source },
      { label: 'status', value: (c) => c.status },
      { label: 'points', value: (c) => Credo.number(c.points), num: true },
      { label: 'expires', value: (c) => Credo.day(c.expires) },
      { label: 'evidence', value: (c) => c.evidence || '' },
      { label: 'record', value: (c) => c.record },
    ], s.contributions, 'Credo holds no record about you under this policy.'));
  }

  function drawLists(s) {
    $('lists').replaceChildren(Credo.table('List entries under ' + s.policy, [
      { label: 'list', value: (l) => l.list + ' (' + l.kind + ')' },
      { label: 'in effect', value: (l) => (l.inEffect ? 'yes' : 'not yet / no longer') },
      { label: 'basis', value: (l) => l.basis },
      { label: 'from', value: (l) => Credo.day(l.effectiveFrom) },
      { label: 'until', value: (l) => Credo.day(l.until) || 'open' },
    ], s.lists, 'No list entries.'));
  }

  async function loadInquiries() {
    try {
      const r = await call('GET', '/inquiries?limit=50');
      $('inquiries').replaceChildren(Credo.table('Latest first', [
        { label: 'when', value: (i) => Credo.when(i.at) },
        { label: 'who', value: (i) => i.party },
        { label: 'purpose', value: (i) => i.purpose },
        { label: 'outcome', value: (i) => i.outcome },
      ], r.inquiries, 'Nobody has asked about you.'));
    } catch (e) {
      $('inquiries').replaceChildren(Credo.el('p', { className: 'message error', text: Credo.explain(e) }));
    }
  }

  async function loadConsents(known) {
    try {
      const r = known || await call('GET', '/consents');
      $('consents').replaceChildren(Credo.table('Consents, live and past', [
        { label: 'party', value: (c) => c.party },
        { label: 'purpose', value: (c) => c.purpose },
        { label: 'until', value: (c) => Credo.day(c.until) },
        { label: 'state', value: (c) => c.state },
        {
          label: 'action',
          value: (c) => (c.state === 'live'
            ? Credo.el('button', {
              type: 'button', className: 'secondary', 'data-consent': c.id,
              'aria-label': 'Revoke consent for ' + c.party + ', ' + c.purpose,
              text: 'Revoke', onclick: (e) => revoke(e.currentTarget, c),
            })
            : ''),
        },
      ], r.consents, 'You have given no consent.'));
    } catch (e) {
      $('consents').replaceChildren(Credo.el('p', { className: 'message error', text: Credo.explain(e) }));
    }
  }

  async function grant(event) {
    event.preventDefault();
    await Credo.once($('consent-button'), async () => {
      const body = {
        party: $('consent-party').value.trim(),
        purpose: $('consent-purpose').value.trim(),
        until: $('consent-until').value,
      };
      try {
        const c = await call('POST', '/consents', body);
        Credo.say($('consent-message'), 'ok', 'Consent granted to ' + c.party + ' for ' + c.purpose + ' until ' + Credo.day(c.until) + '.');
        $('consent-form').reset();
        await loadConsents();
      } catch (e) {
        Credo.say($('consent-message'), 'error', 'Nothing was granted: ' + Credo.explain(e));
      }
    });
  }

  async function revoke(button, c) {
    await Credo.once(button, async () => {
      try {
        await call('DELETE', '/consents/' + c.id);
        Credo.say($('consent-message'), 'ok', 'Consent for ' + c.party + ' (' + c.purpose + ') revoked.');
      } catch (e) {
        Credo.say($('consent-message'), 'error', 'Nothing was revoked: ' + Credo.explain(e));
      }
      await loadConsents();
    });
  }

  async function certify(event) {
    event.preventDefault();
    await Credo.once($('cert-button'), async () => {
      const s = currentScore();
      const claims = [];
      if ($('claim-grade').checked) {
        claims.push('grade >= ' + $('claim-grade-value').value);
      }
      if ($('claim-black').checked) {
        claims.push('not on any black list');
      }
      if ($('claim-score').checked) {
        claims.push('score >= ' + $('claim-score-value').value);
      }
      if (claims.length === 0) {
        Credo.say($('cert-message'), 'error', 'Choose at least one claim.');
        return;
      }
      try {
        const body = { claims, validFor: $('cert-valid').value };
        if ($('claim-grade').checked || $('claim-score').checked) {
          body.policy = s.policy; // grade and score claims are under the policy shown
        }
        const cert = await call('POST', '/certificates', body);
        const text = JSON.stringify(cert, null, 2);
        $('cert-text').value = text;
        const download = $('cert-download');
        if (download.href.startsWith('blob:')) {
          URL.revokeObjectURL(download.href);
        }
        download.href = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
        download.download = cert.certificate.id + '.json';
        Credo.set('certificate', text);
        $('cert-result').classList.remove('hidden');
        Credo.say($('cert-message'), 'ok', 'Certificate ' + cert.certificate.id + ' signed, valid until ' + Credo.when(cert.certificate.validUntil) + '.');
      } catch (e) {
        $('cert-result').classList.add('hidden');
        Credo.say($('cert-message'), 'error', 'No certificate was signed: ' + Credo.explain(e));
      }
    });
  }

  // ---- issue #5: notifications and disputes (the endpoints may not exist yet) ----------------

  function unavailable(box, what) {
    box.replaceChildren(Credo.el('p', { className: 'message warn', text: what + ' are not available on this server yet.' }));
  }

  function items(r, ...names) {
    for (const n of names) {
      if (r && Array.isArray(r[n])) {
        return r[n];
      }
    }
    return Array.isArray(r) ? r : [];
  }

  async function loadNotifications() {
    try {
      const r = await call('GET', '/notifications');
      $('notifications').replaceChildren(Credo.table('Latest first', [
        { label: 'when', value: (n) => Credo.when(n.at || n.sent || n.created) },
        { label: 'what', value: (n) => n.text || n.message || n.kind || '' },
      ], items(r, 'notifications'), 'No notifications.'));
    } catch (e) {
      if (Credo.missing(e)) {
        unavailable($('notifications'), 'Notifications');
      } else {
        $('notifications').replaceChildren(Credo.el('p', { className: 'message error', text: Credo.explain(e) }));
      }
    }
  }

  async function loadDisputes() {
    try {
      const r = await call('GET', '/v1/disputes');
      $('disputes').replaceChildren(Credo.table('My disputes', [
        { label: 'opened', value: (d) => Credo.when(d.opened || d.at) },
        { label: 'record', value: (d) => d.recordId || d.record || '' },
        { label: 'state', value: (d) => d.state || '' },
        { label: 'deadline', value: (d) => Credo.when(d.deadline) },
      ], items(r, 'disputes'), 'No disputes.'));
    } catch (e) {
      if (Credo.missing(e)) {
        unavailable($('disputes'), 'Disputes');
      } else {
        $('disputes').replaceChildren(Credo.el('p', { className: 'message error', text: Credo.explain(e) }));
      }
    }
  }

  async function dispute(event) {
    event.preventDefault();
    await Credo.once($('dispute-button'), async () => {
      try {
        const d = await call('POST', '/v1/disputes', {
          recordId: $('dispute-record').value,
          statement: $('dispute-statement').value.trim(),
        });
        Credo.say($('dispute-message'), 'ok', 'Dispute ' + (d.id || '') + ' opened.');
        $('dispute-form').reset();
        await loadDisputes();
      } catch (e) {
        Credo.say($('dispute-message'), Credo.missing(e) ? 'warn' : 'error',
          Credo.missing(e) ? 'Disputes are not available on this server yet: nothing was sent.' : 'No dispute was opened: ' + Credo.explain(e));
      }
    });
  }

  function start() {
    const fragment = Credo.takeFragment();
    if (fragment.subject && fragment.token) {
      Credo.set('subject', fragment.subject);
      Credo.set('subjectToken', fragment.token);
    }
    state.subject = Credo.get('subject');
    state.token = Credo.get('subjectToken');
    $('signin-form').addEventListener('submit', signIn);
    $('signout').addEventListener('click', signOut);
    $('policy').addEventListener('change', drawPolicy);
    $('consent-form').addEventListener('submit', grant);
    $('cert-form').addEventListener('submit', certify);
    $('dispute-form').addEventListener('submit', dispute);
    const inAYear = new Date(Date.now() + 365 * 86400000);
    $('consent-until').min = new Date().toISOString().substring(0, 10);
    $('consent-until').placeholder = inAYear.toISOString().substring(0, 10);
    if (state.subject && state.token) {
      load();
    } else {
      showSignIn();
      Credo.drawn();
    }
  }

  start();
})();
