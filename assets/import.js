/* Loads from the browser (导入数据): on /import, the drop zone, the chunked upload (resumable,
   cancellable) and the load's live status; on every dashboard page, the header's indicator for
   an admin while a load runs. No library: the browser's fetch and File APIs. */
(function () {
  'use strict';
  var CHUNK = 4 * 1024 * 1024;   // bytes a request
  var PARALLEL = 4;              // files sent at once (thousands of small files)
  var SKIP = /^(\.|~\$)|^(thumbs\.db|desktop\.ini)$/i;

  function fmt(text, values) {
    return text.replace(/\{(\w+)\}/g, function (m, k) { return k in values ? values[k] : m; });
  }
  function mb(bytes) { return (bytes / 1e6).toFixed(1); }

  /* ---- the header's indicator, on any page that has one (admins who may load) ---------- */
  function pollIndicator() {
    var el = document.getElementById('import-indicator');
    if (!el || document.getElementById('import-page')) return;
    fetch('/import/status?lang=' + (el.dataset.lang || 'zh'), {credentials: 'same-origin'})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) {
        var text = s && s.indicator;
        el.textContent = text || '';
        el.classList.toggle('d-none', !text);
      }).catch(function () {});
  }
  setInterval(pollIndicator, 3000);
  document.addEventListener('DOMContentLoaded', function () { setTimeout(pollIndicator, 500); });

  /* ---- the import page ----------------------------------------------------------------- */
  function importPage() {
    var root = document.getElementById('import-page');
    if (!root) return;
    var texts = JSON.parse(document.getElementById('import-texts').textContent);
    var csrf = root.dataset.csrf, lang = root.dataset.lang;
    var $ = function (id) { return document.getElementById(id); };
    var chosen = [];      // [{file, path}]
    var upload = null;    // {id, files: [{path, size, received}]}
    var paused = false, cancelled = false, running = false;

    function show(id, on) { $(id).classList.toggle('d-none', !on); }
    function message(text) { $('import-message').textContent = text || ''; show('import-message', !!text); }

    function api(method, url, body, contentType) {
      var headers = {'X-CSRF-Token': csrf};
      if (contentType) headers['Content-Type'] = contentType;
      return fetch(url, {method: method, headers: headers, body: body, credentials: 'same-origin'})
        .then(function (r) {
          return r.json().catch(function () { return {}; }).then(function (data) {
            if (!r.ok) {
              var err = new Error(data.error || fmt(texts.import_failed_request, {status: r.status}));
              err.status = r.status;
              throw err;
            }
            return data;
          });
        });
    }

    function choose(list) {
      var skipped = 0;
      chosen = [];
      list.forEach(function (item) {
        var name = item.path.split('/').pop();
        if (item.path.split('/').some(function (p) { return SKIP.test(p); }) || SKIP.test(name)) {
          skipped += 1;
        } else {
          chosen.push(item);
        }
      });
      var total = chosen.reduce(function (s, c) { return s + c.file.size; }, 0);
      $('import-chosen').textContent = fmt(texts.import_chosen, {files: chosen.length, mb: mb(total)})
        + (skipped ? fmt(texts.import_skipped_names, {n: skipped}) : '');
      $('import-start').disabled = chosen.length === 0 || running;
      message('');
    }

    $('import-files').addEventListener('change', function (e) {
      choose(Array.prototype.map.call(e.target.files, function (f) { return {file: f, path: f.name}; }));
    });
    $('import-folder').addEventListener('change', function (e) {
      choose(Array.prototype.map.call(e.target.files, function (f) {
        return {file: f, path: f.webkitRelativePath || f.name};
      }));
    });

    // A dropped folder is walked with the entries API (its files keep their relative paths).
    function walk(entry, out) {
      return new Promise(function (resolve) {
        if (entry.isFile) {
          entry.file(function (f) { out.push({file: f, path: entry.fullPath.replace(/^\//, '')}); resolve(); },
                     function () { resolve(); });
        } else if (entry.isDirectory) {
          var reader = entry.createReader(), all = [];
          (function more() {
            reader.readEntries(function (batch) {
              if (!batch.length) {
                Promise.all(all.map(function (e) { return walk(e, out); })).then(resolve);
              } else { all = all.concat(Array.prototype.slice.call(batch)); more(); }
            }, function () { resolve(); });
          })();
        } else { resolve(); }
      });
    }
    var drop = $('import-drop');
    ['dragenter', 'dragover'].forEach(function (t) {
      drop.addEventListener(t, function (e) { e.preventDefault(); drop.classList.add('import-drop-over'); });
    });
    drop.addEventListener('dragleave', function () { drop.classList.remove('import-drop-over'); });
    drop.addEventListener('drop', function (e) {
      e.preventDefault();
      drop.classList.remove('import-drop-over');
      var items = e.dataTransfer.items, out = [];
      if (items && items.length && items[0].webkitGetAsEntry) {
        var entries = Array.prototype.map.call(items, function (i) { return i.webkitGetAsEntry(); })
          .filter(Boolean);
        Promise.all(entries.map(function (en) { return walk(en, out); })).then(function () { choose(out); });
      } else {
        choose(Array.prototype.map.call(e.dataTransfer.files, function (f) { return {file: f, path: f.name}; }));
      }
    });

    function signature() {
      return chosen.map(function (c) { return c.path + ':' + c.file.size; }).join('|');
    }

    function progress() {
      var total = 0, done = 0, files = 0;
      upload.files.forEach(function (f) {
        total += f.size; done += f.received; if (f.received === f.size) files += 1;
      });
      var pct = total ? Math.floor(100 * done / total) : 100;
      $('import-upload-bar').style.width = pct + '%';
      $('import-upload-bar').textContent = pct + '%';
      $('import-upload-text').textContent = fmt(texts.import_uploading,
        {done: mb(done), total: mb(total), files: files, nfiles: upload.files.length});
    }

    function sendFile(i) {
      var f = upload.files[i], file = chosen[i].file;
      if (cancelled || paused || f.received >= f.size) return Promise.resolve();
      var end = Math.min(f.size, f.received + CHUNK);
      var url = '/import/uploads/' + upload.id + '/' + i + '?offset=' + f.received;
      return api('PUT', url, file.slice(f.received, end), 'application/octet-stream')
        .then(function (r) {
          if (r.received <= f.received && f.received < f.size) throw new Error(texts.import_failed_request);
          f.received = r.received;
          progress();
          return sendFile(i);
        });
    }

    function sendAll() {
      var next = 0;
      function worker() {
        if (cancelled || paused || next >= upload.files.length) return Promise.resolve();
        var i = next++;
        return sendFile(i).then(worker);
      }
      var workers = [];
      for (var k = 0; k < PARALLEL; k++) workers.push(worker());
      return Promise.all(workers);
    }

    function buttons(state) {   // idle | sending | paused
      show('import-pause', state === 'sending');
      show('import-resume', state === 'paused');
      show('import-cancel-upload', state !== 'idle');
      show('import-upload-progress', state !== 'idle');
      $('import-start').disabled = state !== 'idle' || chosen.length === 0;
    }

    function forget() { try { localStorage.removeItem('zhtj-import-upload'); } catch (e) {} }

    var inFlight = Promise.resolve();
    function run() {
      buttons('sending');
      progress();
      inFlight = sendAll();
      return inFlight.then(function () {
        if (cancelled || paused) return;
        $('import-upload-text').textContent = texts.import_uploaded;
        return api('POST', '/import/uploads/' + upload.id + '/finish', JSON.stringify({
          as_of: $('import-as-of').value || null,
          accept_shrink: $('import-accept-shrink').checked
        }), 'application/json').then(function () {
          forget(); upload = null; buttons('idle'); pollStatus();
        });
      }).catch(function (err) {
        if (cancelled) return;
        if (err.status && err.status !== 409 && err.status < 500) { forget(); upload = null; buttons('idle'); }
        else { paused = true; buttons('paused'); }
        message(err.message);
      });
    }

    // Resume: the same files chosen again (after a reload too) continue where the server is.
    function resumeOrCreate() {
      var saved = null;
      try { saved = JSON.parse(localStorage.getItem('zhtj-import-upload') || 'null'); } catch (e) {}
      var sig = signature();
      var fresh = function () {
        return api('POST', '/import/uploads', JSON.stringify({
          files: chosen.map(function (c) { return {path: c.path, size: c.file.size}; })
        }), 'application/json');
      };
      var found = saved && saved.sig === sig
        ? fetch('/import/uploads/' + saved.id, {credentials: 'same-origin'})
            .then(function (r) { return r.ok ? r.json() : fresh(); })
        : fresh();
      return found.then(function (u) {
        try { localStorage.setItem('zhtj-import-upload', JSON.stringify({id: u.id, sig: sig})); } catch (e) {}
        return u;
      });
    }

    $('import-start').addEventListener('click', function () {
      if (!chosen.length) { message(texts.import_nothing_chosen); return; }
      paused = false; cancelled = false; message('');
      $('import-status').innerHTML = '';  // the previous load's result is history now
      buttons('sending');
      resumeOrCreate().then(function (u) { upload = u; return run(); })
        .catch(function (err) { buttons('idle'); message(err.message); });
    });
    $('import-pause').addEventListener('click', function () {
      paused = true; buttons('paused'); $('import-upload-text').textContent = texts.import_paused;
    });
    $('import-resume').addEventListener('click', function () {
      if (!upload) return;
      paused = false; message('');
      fetch('/import/uploads/' + upload.id, {credentials: 'same-origin'})
        .then(function (r) { return r.json(); })
        .then(function (u) { upload = u; run(); });
    });
    $('import-cancel-upload').addEventListener('click', function () {
      cancelled = true;
      var id = upload && upload.id;
      forget();
      var done = function () {
        upload = null; buttons('idle');
        $('import-upload-text').textContent = texts.import_upload_cancelled;
        root.dataset.uploadCancelled = '1';
      };
      // once the chunks in flight have arrived, so that none lands after the delete
      var del = function () {
        (id ? api('DELETE', '/import/uploads/' + id) : Promise.resolve()).then(done, done);
      };
      inFlight.then(del, del);
    });

    // The running load: its panel redrawn from the server every second.
    var timer = null;
    function pollStatus() {
      fetch('/import/status?lang=' + lang, {credentials: 'same-origin'})
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (s) {
          clearTimeout(timer);
          if (!s) { timer = setTimeout(pollStatus, 3000); return; }  // a hiccup: ask again
          $('import-status').innerHTML = s.html || '';
          running = s.state === 'running';
          if (s.state && !running && !upload) $('import-upload-text').textContent = '';
          $('import-start').disabled = running || chosen.length === 0 || !!upload;
          if (running) timer = setTimeout(pollStatus, 1000);
        }).catch(function () { timer = setTimeout(pollStatus, 3000); });
    }
    $('import-status').addEventListener('click', function (e) {
      if (e.target && e.target.id === 'import-cancel-load') {
        e.target.disabled = true;
        api('POST', '/import/cancel').then(pollStatus, function (err) { message(err.message); });
      }
    });
    pollStatus();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', importPage);
  else importPage();
})();
