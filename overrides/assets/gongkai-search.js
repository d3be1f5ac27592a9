/* gongkai: the header's search box, on Pagefind's index (<site>/pagefind/, made after the build).
   Nothing is loaded until a reader starts a search. The index is in parts (pagefind/parts.json:
   the years each part holds): a query naming a year (2023年) searches only the parts holding that
   year, filtered to it; any other query the newest year's parts (and the pages without a year),
   the older years on request. Each part is a Pagefind instance of its own, so a query searches
   exactly its parts (not every part an earlier query loaded); their index chunks load side by
   side, then the parts are searched one after the other, a query that a keystroke made stale
   stopping at the next part; a part's answer to the same words is kept for the next query.
   Only the index chunks of the query's words are loaded, and the result fragments of the results
   shown (five, then five more on request). Every text from the index reaches the page as text. */
(function () {
  "use strict";
  var root = document.querySelector("[data-gk-search]");
  if (!root) return;
  var form = root.querySelector("form");
  var input = root.querySelector("input");
  var panel = root.querySelector(".gk-search__panel");
  var status = root.querySelector(".gk-search__status");
  var list = root.querySelector(".gk-search__results");
  var more = root.querySelector(".gk-search__more");
  var wider = root.querySelector(".gk-search__wider");
  var base = new URL((root.getAttribute("data-gk-base") || ".").replace(/\/?$/, "/"), location.href);
  var PAGE = 5;  // results shown at once; their fragments are the only ones loaded
  var DELAY_MS = 80;  // after the last keystroke: one query per pause in typing
  // A query ending in what may be the start of a year (2, 20, 202) waits a little longer for the
  // rest: a year decides which parts of the index the query loads.
  var YEAR_TYPED_MS = 300;
  var YEAR_START = /(^|[^0-9])(1|2|19|20|19[0-9]|20[0-9])$/;
  var KEPT = 64;  // parts' answers kept (a part, the words, the year): typing back and forth, 更早年度
  var engine = null;  // Promise of the index: {parts, part(dir), answer(dir, words, year)}
  var timer = 0;
  var latest = 0;
  var shown = null;  // the current results: {query, results, partial}
  var drawn = 0;  // counts the list's renderings: a late fragment of an earlier one is not added
  var STALE = {};  // thrown when a newer query replaced the one searching

  function say(text) {
    panel.hidden = false;
    status.textContent = text;
  }

  // Every part's folder holds the same Pagefind WebAssembly (each part's module starts its own
  // from it): it is fetched once, not once a part.
  function fetchWasmOnce(folder) {
    var real = window.fetch;
    var kept = {};
    window.fetch = function (resource, options) {
      var url = new URL(typeof resource === "string" ? resource : resource.url, location.href);
      var name = /\/(wasm\.[a-z0-9_-]+\.pagefind)$/.exec(url.pathname);
      if (!name || url.origin !== folder.origin || url.pathname.indexOf(folder.pathname) !== 0) {
        return real.apply(this, arguments);
      }
      if (!kept[name[1]]) {
        kept[name[1]] = real.call(window, url.href, options).then(function (response) {
          if (!response.ok) throw new Error("index");
          return response.arrayBuffer();
        });
        kept[name[1]].catch(function () { delete kept[name[1]]; });
      }
      return kept[name[1]].then(function (bytes) { return new Response(bytes.slice(0)); });
    };
  }

  function load() {
    if (location.protocol === "file:") {
      return Promise.reject(new Error("file"));
    }
    if (!engine) {
      var folder = new URL("pagefind/", base);
      var path = function (dir) { return new URL(dir + "/", folder).pathname; };
      engine = fetch(new URL("parts.json", folder).href).then(function (response) {
        if (!response.ok) throw new Error("index");
        return response.json();
      }).then(function (manifest) {
        var parts = manifest.parts || [];
        if (!parts.length || !manifest.hub) throw new Error("index");
        var script = new URL(manifest.hub + "/pagefind.js", folder).href;
        return fetch(script).then(function (response) {
          if (!response.ok) throw new Error("index");
          return response.text();
        }).then(function (source) {
          fetchWasmOnce(folder);
          var instances = {};
          var answers = new Map();
          // Each part runs in a copy of Pagefind's module of its own (its own WebAssembly memory:
          // a second instance in one module corrupts the first's), made from the script loaded
          // once; where a policy forbids blob: scripts, from the script's address made distinct.
          var module = function (dir) {
            var blob = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
            return import(blob).catch(function () {
              return import(script + "?part=" + encodeURIComponent(dir));
            }).finally(function () { URL.revokeObjectURL(blob); });
          };
          var part = function (dir) {
            if (!instances[dir]) {
              instances[dir] = module(dir).then(function (pf) {
                var index = pf.createInstance({ basePath: path(dir), baseUrl: base.pathname,
                                                excerptLength: 30, noWorker: true });
                return index.init().then(function () { return index; });
              });
              instances[dir].catch(function () { delete instances[dir]; });
            }
            return instances[dir];
          };
          part(manifest.hub).catch(function () {});  // while the reader types
          return {
            parts: parts,
            hub: manifest.hub,
            part: part,
            preload: function (dir, words, year) {
              if (answers.has(key(dir, words, year))) return Promise.resolve();
              return part(dir).then(function (index) { return index.preload(words, options(year)); });
            },
            // A part's results for the words (and the year), Pagefind's own; kept for the next query.
            answer: function (dir, words, year) {
              var k = key(dir, words, year);
              if (answers.has(k)) {
                var kept = answers.get(k);
                answers.delete(k);  // the newest at the end: the oldest go first
                answers.set(k, kept);
                return Promise.resolve(kept);
              }
              return part(dir).then(function (index) {
                return index.search(words, options(year));
              }).then(function (found) {
                answers.set(k, found.results);
                if (answers.size > KEPT) answers.delete(answers.keys().next().value);
                return found.results;
              });
            }
          };
        });
      });
      engine.catch(function () { engine = null; });  // try again on the next query
    }
    return engine;
  }

  function key(dir, words, year) {
    return JSON.stringify([dir, words, year]);
  }

  function options(year) {
    return year ? { filters: { year: year } } : {};
  }

  // A year in a query: 2023年, 2023年度, or 2023 standing alone (not a number such as 2023件).
  function findYear(query) {
    var digits = /(?:19|20)[0-9]{2}/g;
    var m;
    while ((m = digits.exec(query))) {
      var rest = query.slice(m.index + 4);
      if (/[0-9]/.test(query.charAt(m.index - 1)) || /^[0-9]/.test(rest)) continue;
      var suffix = /^年度?/.exec(rest);
      if (suffix || !rest || /^[\s,，、;；]/.test(rest)) {
        return { at: m.index, length: 4 + (suffix ? suffix[0].length : 0), year: Number(m[0]) };
      }
    }
    return null;
  }

  // What to search: the words, and the year when the query names one the index holds.
  function parse(query, parts) {
    var y = findYear(query);
    var dirs = y ? parts.filter(function (p) { return p.years.indexOf(y.year) >= 0; }) : [];
    if (!dirs.length) {
      var newest = Math.max.apply(null, [0].concat.apply([], parts.map(function (p) { return p.years; })));
      return { words: query, year: null, dirs: parts.filter(function (p) {
        return !p.years.length || p.years.indexOf(newest) >= 0;
      }).map(function (p) { return p.dir; }) };
    }
    var words = (query.slice(0, y.at) + " " + query.slice(y.at + y.length)).replace(/\s+/g, " ").trim();
    return { words: words || null, year: String(y.year), dirs: dirs.map(function (p) { return p.dir; }) };
  }

  // Pagefind's excerpt is HTML: escaped text with <mark> around the matches. Parse it inertly
  // (DOMParser runs no script) and rebuild it from text nodes and <mark> elements only.
  function excerpt(html) {
    var out = document.createElement("p");
    out.className = "gk-search__excerpt";
    var body = new DOMParser().parseFromString("<body>" + html, "text/html").body;
    body.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        out.appendChild(mark);
      } else {
        out.appendChild(document.createTextNode(node.textContent));
      }
    });
    return out;
  }

  function item(data) {
    var li = document.createElement("li");
    li.className = "gk-search__result";
    var a = document.createElement("a");
    var url = new URL(data.url, location.href);
    a.href = url.protocol === "http:" || url.protocol === "https:" ? url.href : "#";
    a.textContent = (data.meta && data.meta.title) || data.url;
    li.appendChild(a);
    li.appendChild(excerpt(data.excerpt || ""));
    return li;
  }

  function counted() {
    var n = shown.results.length;
    var listed = list.children.length;
    return (n === 0 ? "未找到与“" + shown.query + "”相关的页面" :
      "找到 " + n + " 个相关页面" + (n > listed ? "，显示前 " + listed + " 个" : "")) +
      (shown.partial ? "（只搜索了最近年度，可在更早年度中继续搜索）" : "");
  }

  // The next results' fragments, in order; each is shown as soon as it and those before it arrived.
  function showMore(mine) {
    var at = drawn;
    var next = shown.results.slice(list.children.length, list.children.length + PAGE);
    var pending = next.map(function (r) { return r.data(); });
    more.hidden = true;
    return pending.reduce(function (chain, data) {
      return chain.then(function () {
        return data.then(function (d) { if (mine === latest && at === drawn) list.appendChild(item(d)); });
      });
    }, Promise.resolve()).then(function () {
      if (mine !== latest || at !== drawn) return;
      list.dataset.query = shown.query;  // which query the list answers (for tests and styles)
      more.hidden = list.children.length >= shown.results.length;
      wider.hidden = !shown.partial;
      say(counted());
    });
  }

  // Three digits of a year typed (202): load the parts holding the years they can begin, and the
  // index chunks of the words before them, while the reader types the last digit.
  function prefetch(words, digits) {
    if (!engine) return;
    engine.then(function (e) {
      var dirs = e.parts.filter(function (p) {
        return p.years.some(function (y) { return String(y).indexOf(digits) === 0; });
      }).map(function (p) { return p.dir; });
      if (!dirs.length || dirs.length > 5) return null;
      return Promise.all(dirs.map(function (dir) {
        return words ? e.preload(dir, words, null) : e.part(dir);
      }));
    }).catch(function () {});
  }

  // The parts in the order their results are merged, whatever order they were loaded or answered
  // in: the hub (the pages without a year), then the newest year's, then the older years', each
  // year's parts in the index's order. Results that score alike keep this order.
  function ordered(dirs, e) {
    var year = function (p) { return p.dir === e.hub ? Infinity : Math.max.apply(null, [0].concat(p.years)); };
    var at = e.parts.map(function (p, n) { return { dir: p.dir, year: year(p), n: n }; });
    return at.filter(function (p) { return dirs.indexOf(p.dir) >= 0; }).sort(function (x, y) {
      return y.year - x.year || x.n - y.n;
    }).map(function (p) { return p.dir; });
  }

  // The results of the parts, merged as Pagefind merges its own merged indexes: by score, results
  // that score alike in the parts' order. The parts' index chunks load side by side; they are
  // searched one after the other (each search holds the page's thread), and a query that a newer
  // one replaced stops before the next part.
  // ``first`` is given the results of the hub and the first other part while more parts remain.
  function searchParts(e, dirs, words, year, mine, first) {
    var preloads = dirs.map(function (dir) { return e.preload(dir, words, year); });
    var answers = [];
    var merged = function () {
      return [].concat.apply([], answers).sort(function (x, y) { return y.score - x.score; });
    };
    return dirs.reduce(function (chain, dir, n) {
      return chain.then(function () {
        return preloads[n];
      }).then(function () {
        if (mine !== latest) throw STALE;
        return e.answer(dir, words, year);
      }).then(function (results) {
        answers.push(results);
        if (dir !== e.hub && n < dirs.length - 1 && first) {
          first(merged());
          first = null;
        }
      });
    }, Promise.resolve()).then(merged);
  }

  // The first part's results while the other parts are searched: the reader sees results at once,
  // and the status says the search goes on; the whole query's results replace them.
  function showFirst(query, results, mine) {
    if (!results.length) return;
    drawn++;
    shown = { query: query, results: results, partial: false };
    list.replaceChildren();
    wider.hidden = true;
    showMore(mine).then(function () {
      if (mine !== latest || shown.results !== results) return;
      more.hidden = true;
      list.dataset.first = query;  // which query the first results answer (for the benchmark)
      say("已显示最先找到的结果，正在搜索其余部分……");
    });
  }

  // A query naming a year searches the parts holding it, filtered to it; any other query the
  // newest year's parts, until the reader asks for the older years.
  function search(query, everything) {
    var mine = ++latest;
    load().then(function (e) {
      var q = parse(query, e.parts);
      var dirs = ordered(everything && !q.year ? e.parts.map(function (p) { return p.dir; }) : q.dirs, e);
      var first = function (results) { showFirst(query, results, mine); };
      return searchParts(e, dirs, q.words, q.year, mine, first).then(function (results) {
        return { results: results, partial: !q.year && dirs.length < e.parts.length };
      });
    }).then(function (found) {
      if (mine !== latest) return null;
      // A reader already moving through the first results keeps their place.
      var links = Array.prototype.slice.call(list.querySelectorAll("a"));
      var place = links.indexOf(document.activeElement);
      drawn++;
      shown = { query: query, results: found.results, partial: found.partial };
      list.replaceChildren();
      return showMore(mine).then(function () {
        if (place < 0 || mine !== latest) return;
        var now = list.querySelectorAll("a");
        (now[Math.min(place, now.length - 1)] || input).focus();
      });
    }).catch(function (error) {
      if (mine !== latest) return;
      drawn++;
      list.replaceChildren();
      more.hidden = wider.hidden = true;
      list.dataset.query = query;
      say(error && error.message === "file"
        ? "从本地文件打开网站时无法搜索：请通过网站地址（http:// 或 https://）访问本门户后再搜索。"
        : "暂时无法搜索：未能载入本站的搜索索引（预览 mkdocs serve 时不生成索引；请生成网站后再试）。");
    });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    var query = input.value.trim();
    if (!query) {
      ++latest;
      delete list.dataset.first;
      list.replaceChildren();
      more.hidden = wider.hidden = true;
      status.textContent = "";
      panel.hidden = true;
      return;
    }
    var typing = YEAR_START.exec(query);
    timer = setTimeout(function () { search(query); }, typing ? YEAR_TYPED_MS : DELAY_MS);
    if (typing && typing[2].length === 3) prefetch(query.slice(0, typing.index + typing[1].length).trim(), typing[2]);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    if (input.value.trim()) search(input.value.trim());
  });
  more.addEventListener("click", function () {
    var first = list.children.length;
    showMore(latest).then(function () {
      var link = list.children[first] && list.children[first].querySelector("a");
      if (link) link.focus();  // keyboard and screen-reader users continue at the first new result
    });
  });
  wider.addEventListener("click", function () {
    search(shown.query, true);
    input.focus();
  });
  // The reader is about to search: load Pagefind's script (no index yet) while they type, or
  // say at once that a site opened from disk cannot search.
  input.addEventListener("focus", function () {
    if (location.protocol === "file:") {
      search(input.value.trim());
    } else {
      load().catch(function () {});
      if (list.children.length) panel.hidden = false;
    }
  });
  root.addEventListener("keydown", function (event) {
    var links = Array.prototype.slice.call(list.querySelectorAll("a"));
    if (!more.hidden) links.push(more);
    if (!wider.hidden) links.push(wider);
    var at = links.indexOf(document.activeElement);
    if (event.key === "Escape") {
      panel.hidden = true;
      input.focus();
    } else if (event.key === "ArrowDown" && links.length) {
      event.preventDefault();
      links[Math.min(at + 1, links.length - 1)].focus();
    } else if (event.key === "ArrowUp" && at >= 0) {
      event.preventDefault();
      (at === 0 ? input : links[at - 1]).focus();
    }
  });
  document.addEventListener("click", function (event) {
    if (!root.contains(event.target)) panel.hidden = true;
  });
})();
