/* gongkai: the header's search box, on Pagefind's index (<site>/pagefind/, made after the build).
   Nothing is loaded until a reader starts a search. The index is in parts (pagefind/parts.json:
   the years each part holds): a query naming a year (2023年) searches only the parts holding that
   year, filtered to it; any other query searches all parts at once. Only the index chunks of the
   query's words are loaded, and the result fragments of the results shown (five, then five more
   on request). Every text from the index reaches the page as text. */
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
  var engine = null;  // Promise of {pf, parts}
  var timer = 0;
  var latest = 0;
  var shown = null;  // the current results: {query, results, count}

  function say(text) {
    panel.hidden = false;
    status.textContent = text;
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
        return import(new URL(manifest.hub + "/pagefind.js", folder).href).then(function (pf) {
          var index = pf.createInstance({ basePath: path(manifest.hub), baseUrl: base.pathname,
                                          excerptLength: 30, noWorker: true });
          var merged = {};
          merged[manifest.hub] = Promise.resolve();
          return {
            parts: parts,
            index: index,
            // Adds parts to the index (each once); a search then covers every part added so far.
            add: function (dirs) {
              return Promise.all(dirs.map(function (dir) {
                if (!merged[dir]) merged[dir] = index.mergeIndex(path(dir));
                return merged[dir];
              }));
            },
            missing: function () {
              return parts.filter(function (p) { return !merged[p.dir]; });
            }
          };
        });
      });
      engine.catch(function () { engine = null; });  // try again on the next query
    }
    return engine;
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
    var next = shown.results.slice(list.children.length, list.children.length + PAGE);
    var pending = next.map(function (r) { return r.data(); });
    more.hidden = true;
    return pending.reduce(function (chain, data) {
      return chain.then(function () {
        return data.then(function (d) { if (mine === latest) list.appendChild(item(d)); });
      });
    }, Promise.resolve()).then(function () {
      if (mine !== latest) return;
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
      if (!dirs.length || dirs.length > 3) return null;
      return e.add(dirs).then(function () { if (words) return e.index.preload(words); });
    }).catch(function () {});
  }

  // A query naming a year searches the parts holding it, filtered to it; any other query the
  // parts added so far (at first the newest year's), until the reader asks for the older years.
  function search(query, everything) {
    var mine = ++latest;
    load().then(function (e) {
      var q = parse(query, e.parts);
      var dirs = everything ? e.parts.map(function (p) { return p.dir; }) : q.dirs;
      return e.add(dirs).then(function () {
        // A query replaced while its parts loaded does not search: a search holds the page's thread.
        if (mine !== latest) throw new Error("stale");
        return e.index.search(q.words, q.year ? { filters: { year: q.year } } : {});
      }).then(function (found) {
        return { results: found.results, partial: !q.year && e.missing().length > 0 };
      });
    }).then(function (found) {
      if (mine !== latest) return null;
      shown = { query: query, results: found.results, partial: found.partial };
      list.replaceChildren();
      return showMore(mine);
    }).catch(function (error) {
      if (mine !== latest) return;
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
