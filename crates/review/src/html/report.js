// The report's viewer. The index (rules, one row per document) is parsed at load; a
// document's data (raw text, edits as UTF-16 spans, line fates) only when it is opened.
(function () {
  'use strict';
  var $ = function (id) { return document.getElementById(id); };
  var X = JSON.parse($('index').textContent);
  var RULES = X.rules, DOCS = X.docs, N = DOCS.length;
  // Rule rows: [id, category, action, description, file:line]. Document rows: [path,
  // title, lines in, lines out, chars in, chars out, rule edits, [rule, count, ...]].
  var ROW = 44;
  var list = $('list'), inner = $('list-inner'), view = $('view');
  var q = $('q'), qText = $('q-text'), catSel = $('cat'), ruleSel = $('rule');
  var only = $('only-changed'), changesOnly = $('changes-only');
  var shown = [], cur = -1;

  function esc(s) {
    return s.replace(/[&<>"]/g, function (c) {
      return c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;';
    });
  }
  function plural(n, w) { return n + ' ' + w + (n === 1 ? '' : 's'); }
  function hue(s) {
    var h = 0;
    for (var i = 0; i < s.length; i++) { h = (h * 31 + s.charCodeAt(i)) >>> 0; }
    return h % 360;
  }
  function tag(r, extra) {
    var R = RULES[r];
    return '<span class="tag' + (extra || '') + '" data-r="' + r + '" style="--h:' + hue(R[1]) +
      '" title="' + esc(R[3] + '\n' + R[4]) + '">' + esc(R[0]) + '</span>';
  }

  // Totals, per rule and per category.
  var ruleEdits = [], ruleDocs = [], cats = {}, changed = 0, edits = 0, cin = 0, cout = 0;
  for (var r = 0; r < RULES.length; r++) { ruleEdits.push(0); ruleDocs.push(0); }
  for (var i = 0; i < N; i++) {
    var d = DOCS[i], rs = d[7], seen = {};
    cin += d[4]; cout += d[5]; edits += d[6];
    if (d[6] > 0) { changed++; }
    for (var k = 0; k < rs.length; k += 2) {
      var c = RULES[rs[k]][1];
      ruleEdits[rs[k]] += rs[k + 1];
      ruleDocs[rs[k]]++;
      if (!cats[c]) { cats[c] = { edits: 0, docs: 0 }; }
      cats[c].edits += rs[k + 1];
      if (!seen[c]) { seen[c] = 1; cats[c].docs++; }
    }
  }
  var fired = [];
  for (r = 0; r < RULES.length; r++) { if (ruleEdits[r] > 0) { fired.push(r); } }
  var pct = cin ? (100 * (cin - Math.min(cin, cout)) / cin).toFixed(1) : '0.0';
  $('totals').innerHTML = '<span id="doc-count">' + N + '</span> documents, <span id="changed-count">' +
    changed + '</span> changed by rules, <span id="edit-count">' + edits + '</span> edits by <span id="rule-count">' +
    fired.length + '</span> rules; ' + cin + ' → ' + cout + ' chars (' + pct + '% removed).';
  var opts = '';
  Object.keys(cats).sort().forEach(function (c) {
    opts += '<option value="' + esc(c) + '">' + esc(c) + ' (' + plural(cats[c].edits, 'edit') + ', ' + cats[c].docs + ' docs)</option>';
  });
  catSel.insertAdjacentHTML('beforeend', opts);
  opts = '';
  fired.slice().sort(function (a, b) { return RULES[a][0] < RULES[b][0] ? -1 : 1; }).forEach(function (r) {
    opts += '<option value="' + r + '">' + esc(RULES[r][0]) + ' (' + ruleEdits[r] + ')</option>';
  });
  ruleSel.insertAdjacentHTML('beforeend', opts);
  var ruleByName = {};
  RULES.forEach(function (R, r) { ruleByName[R[0]] = r; });

  // --- the document list: filters, then a virtual list of fixed-height rows ----------
  function selRule() { return ruleSel.value === '' ? -1 : +ruleSel.value; }
  function apply() {
    var r = selRule(), c = catSel.value, s = q.value.trim();
    var re = s ? new RegExp(s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i') : null;
    shown = [];
    for (var i = 0; i < N; i++) {
      var d = DOCS[i], rs = d[7], ok = true, k;
      if (only.checked && d[6] === 0) { continue; }
      if (r >= 0) {
        for (ok = false, k = 0; k < rs.length; k += 2) { if (rs[k] === r) { ok = true; break; } }
      }
      if (ok && c) {
        for (ok = false, k = 0; k < rs.length; k += 2) { if (RULES[rs[k]][1] === c) { ok = true; break; } }
      }
      if (ok && re) {
        ok = re.test(d[0]) || re.test(d[1]) || (qText.checked && re.test($('d' + i).textContent));
      }
      if (ok) { shown.push(i); }
    }
    $('shown').innerHTML = 'showing <span id="shown-docs">' + shown.length + '</span> of ' + N;
    inner.style.height = shown.length * ROW + 'px';
    renderList();
    if (cur >= 0) { renderDoc(cur); } else { renderRules(); }
    saveHash();
  }
  function renderList() {
    var top = list.scrollTop, h = list.clientHeight || 1000;
    var a = Math.max(0, Math.floor(top / ROW) - 10);
    var b = Math.min(shown.length, Math.ceil((top + h) / ROW) + 10);
    var s = '';
    for (var k = a; k < b; k++) {
      var i = shown[k], d = DOCS[i];
      var p = d[4] ? Math.round(100 * (d[4] - Math.min(d[4], d[5])) / d[4]) : 0;
      s += '<a class="row' + (i === cur ? ' cur' : '') + (d[6] ? '' : ' same') + '" data-i="' + i +
        '" href="#doc=' + i + '" style="top:' + k * ROW + 'px"><span class="m">' +
        (d[6] ? plural(d[6], 'edit') + ', −' + p + '%' : 'unchanged') + '</span><span class="p">' +
        esc(d[0]) + '</span><span class="ti">' + esc(d[1]) + '</span></a>';
    }
    inner.innerHTML = s;
  }
  var scrolling = false;
  list.addEventListener('scroll', function () {
    if (scrolling) { return; }
    scrolling = true;
    requestAnimationFrame(function () { scrolling = false; renderList(); });
  });
  window.addEventListener('resize', renderList);
  inner.addEventListener('click', function (ev) {
    var a = ev.target.closest('.row');
    if (a) { ev.preventDefault(); openDoc(+a.getAttribute('data-i')); }
  });

  // --- one document: raw and cleaned side by side, one row per raw line --------------
  function lines(x) {
    // Cuts the raw text into kept pieces and edit pieces, line by line. Returns per line
    // [raw html, cleaned html, rules tagged on it].
    var t = x.t, E = x.e, rows = [], raw = '', clean = '', tags = [];
    function add(text, ei) {
      var parts = text.split('\n');
      for (var p = 0; p < parts.length; p++) {
        if (p > 0) { rows.push([raw, clean, tags]); raw = ''; clean = ''; tags = []; }
        var s = esc(parts[p].replace(/\r/g, ''));
        if (ei < 0) { raw += s; clean += s; continue; }
        var e = E[ei], r = e[2], rep = e.length > 3 && p === 0 ? e[3] : null;
        if (RULES[r][1] === 'whitespace') {
          if (s) { raw += '<span class="sp">' + s + '</span>'; }
          if (rep) { clean += esc(rep.replace(/\n/g, '')); }
          continue;
        }
        if (s) { raw += '<del class="e" data-r="' + r + '">' + s + '</del>'; }
        if (rep !== null) {
          raw += '<ins class="e" data-r="' + r + '">' + esc(rep.replace(/\n/g, '⏎')) + '</ins>';
          clean += '<ins class="e">' + esc(rep.replace(/\n/g, '')) + '</ins>';
        }
        if ((s || rep !== null) && tags.indexOf(r) < 0) { tags.push(r); }
      }
    }
    var pos = 0;
    for (var i = 0; i < E.length; i++) {
      if (E[i][0] > pos) { add(t.slice(pos, E[i][0]), -1); }
      add(t.slice(E[i][0], E[i][1]), i);
      pos = E[i][1];
    }
    add(t.slice(pos), -1);
    rows.push([raw, clean, tags]);
    return rows;
  }
  function renderDoc(i) {
    var x = JSON.parse($('d' + i).textContent), d = DOCS[i], E = x.e, F = x.f;
    var rows = lines(x), r0 = selRule(), c0 = catSel.value;
    var isSel = function (r) { return r0 >= 0 ? r === r0 : !!c0 && RULES[r][1] === c0; };
    var p = d[4] ? (100 * (d[4] - Math.min(d[4], d[5])) / d[4]).toFixed(1) : '0.0';
    var h = '<h2 id="doc-path">' + esc(d[0]) + '</h2><p class="sum">' + d[2] + ' → ' + d[3] + ' lines, ' +
      d[4] + ' → ' + d[5] + ' chars (−' + p + '%), ' + plural(d[6], 'rule edit') + '</p><ul class="legend">';
    for (var k = 0; k < d[7].length; k += 2) {
      var R = RULES[d[7][k]];
      h += '<li>' + tag(d[7][k], isSel(d[7][k]) ? ' sel' : '') + ' ×' + d[7][k + 1] + ' <span class="d">' +
        esc(R[3]) + '</span> <span class="def">' + esc(R[4]) + '</span></li>';
    }
    h += '</ul><div class="grid' + (r0 >= 0 || c0 ? ' dim' : '') + (changesOnly.checked ? ' changes-only' : '') +
      '"><div class="gh"><span></span><span>raw</span><span>cleaned</span></div>';
    for (var n = 0; n < F.length; n++) {
      var row = rows[n] || ['', '', []], f = F[n], tg = row[2], cls = 'k', sel = false;
      if (f >= 3) {
        cls = 'rm';
        tg = [E[f - 3][2]];
        sel = isSel(tg[0]);
      } else if (f === 1) { cls = 'ch'; } else if (f === 2) { cls = 'ws'; }
      var tags = '';
      for (var j = 0; j < tg.length; j++) { tags += tag(tg[j], isSel(tg[j]) ? ' sel' : ''); }
      var raw = row[0];
      if (r0 >= 0 || c0) {
        raw = raw.replace(/<del class="e" data-r="(\d+)"/g, function (m, r) {
          return isSel(+r) ? '<del class="e sel" data-r="' + r + '"' : m;
        });
      }
      h += '<div class="r ' + cls + (sel ? ' sel' : '') + '" id="L' + (n + 1) + '"><span class="n">' + (n + 1) +
        '</span><span class="t">' + tags + raw + '</span><span class="c">' + row[1] + '</span></div>';
    }
    view.innerHTML = h + '</div>';
    var first = view.querySelector('.grid .sel');
    if (first) { first.scrollIntoView({ block: 'center' }); } else { view.scrollTop = 0; }
  }
  function openDoc(i) {
    if (!(i >= 0 && i < N)) { return; }
    cur = i;
    renderDoc(i);
    var k = shown.indexOf(i);
    if (k >= 0 && (k * ROW < list.scrollTop || (k + 1) * ROW > list.scrollTop + list.clientHeight)) {
      list.scrollTop = Math.max(0, k * ROW - list.clientHeight / 3);
    }
    renderList();
    saveHash();
  }
  function closeDoc() { cur = -1; renderRules(); renderList(); saveHash(); }
  function step(by) {
    if (!shown.length) { return; }
    var k = shown.indexOf(cur);
    openDoc(shown[k < 0 ? 0 : Math.max(0, Math.min(shown.length - 1, k + by))]);
  }

  // --- the rule table, shown when no document is open --------------------------------
  function renderRules() {
    var order = fired.slice().sort(function (a, b) {
      return ruleEdits[b] - ruleEdits[a] || (RULES[a][0] < RULES[b][0] ? -1 : 1);
    });
    var h = '<h2>Rules</h2><p class="hint">Pick a rule or a category to list the documents it changed; open a ' +
      'document to see raw and cleaned text line by line, with the rule on every edit (hover a tag for its ' +
      'description and definition). Keys: <kbd>j</kbd>/<kbd>k</kbd> next/previous document, <kbd>/</kbd> search, ' +
      '<kbd>Esc</kbd> back to this table.</p><table id="rules"><thead><tr><th>rule</th><th>category</th>' +
      '<th class="num">docs</th><th class="num">edits</th><th>description, definition</th></tr></thead><tbody>';
    order.forEach(function (r) {
      var R = RULES[r];
      h += '<tr class="rule-row" data-r="' + r + '"><td>' + tag(r) + '</td><td>' + esc(R[1]) + '</td><td class="num">' +
        ruleDocs[r] + '</td><td class="num">' + ruleEdits[r] + '</td><td>' + esc(R[3]) + '<br><span class="def">' +
        esc(R[4]) + '</span></td></tr>';
    });
    h += '</tbody></table>';
    if (X.never.length) {
      h += '<details id="never-fired"><summary>' + plural(X.never.length, 'rule') + ' never fired</summary><table>';
      X.never.forEach(function (R) {
        h += '<tr><td><code>' + esc(R[0]) + '</code></td><td>' + esc(R[1]) + '</td><td>' + esc(R[3]) +
          '<br><span class="def">' + esc(R[4]) + '</span></td></tr>';
      });
      h += '</table></details>';
    }
    view.innerHTML = h;
  }
  view.addEventListener('click', function (ev) {
    var t = ev.target.closest('.tag,.rule-row');
    if (!t) { return; }
    ruleSel.value = t.getAttribute('data-r');
    apply();
  });

  // --- state in the address (#doc=3&rule=ID&cat=C&q=TEXT&only=1) ---------------------
  function readHash() {
    var p = {};
    location.hash.slice(1).split('&').forEach(function (kv) {
      var i = kv.indexOf('=');
      if (i > 0) {
        try { p[decodeURIComponent(kv.slice(0, i))] = decodeURIComponent(kv.slice(i + 1)); } catch (e) { /* ignore */ }
      }
    });
    return p;
  }
  function saveHash() {
    var p = [];
    if (cur >= 0) { p.push('doc=' + cur); }
    if (selRule() >= 0) { p.push('rule=' + encodeURIComponent(RULES[selRule()][0])); }
    if (catSel.value) { p.push('cat=' + encodeURIComponent(catSel.value)); }
    if (q.value) { p.push('q=' + encodeURIComponent(q.value)); }
    if (only.checked) { p.push('only=1'); }
    if (changesOnly.checked) { p.push('lines=changed'); }
    var h = p.length ? '#' + p.join('&') : '';
    if (h !== location.hash) {
      try { history.replaceState(null, '', h || location.pathname + location.search); } catch (e) { /* file: */ }
    }
  }
  function load() {
    var p = readHash();
    ruleSel.value = p.rule !== undefined && ruleByName[p.rule] !== undefined ? String(ruleByName[p.rule]) : '';
    catSel.value = p.cat && cats[p.cat] ? p.cat : '';
    q.value = p.q || '';
    only.checked = p.only === '1';
    changesOnly.checked = p.lines === 'changed';
    cur = p.doc !== undefined && +p.doc >= 0 && +p.doc < N ? +p.doc : -1;
    apply();
    if (cur >= 0) { openDoc(cur); }
  }
  var typing = 0;
  q.addEventListener('input', function () { clearTimeout(typing); typing = setTimeout(apply, 150); });
  [qText, catSel, ruleSel, only].forEach(function (el) { el.addEventListener('change', apply); });
  changesOnly.addEventListener('change', function () { if (cur >= 0) { renderDoc(cur); } saveHash(); });
  window.addEventListener('hashchange', load);
  document.addEventListener('keydown', function (ev) {
    if (ev.target.closest && ev.target.closest('input,select,textarea')) {
      if (ev.key === 'Escape') { ev.target.blur(); }
      return;
    }
    if (ev.key === 'j') { step(1); } else if (ev.key === 'k') { step(-1); } else if (ev.key === 'Escape') { closeDoc(); } else if (ev.key === '/') {
      ev.preventDefault();
      q.focus();
    }
  });
  load();
  document.body.setAttribute('data-ready', '1');
  document.body.setAttribute('data-load-ms', String(Math.round(performance.now())));
})();
