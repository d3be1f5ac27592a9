/* gongkai: the header's search box, on Pagefind's index (<site>/pagefind/, made after the build).
   Nothing is loaded until a reader starts a search; then Pagefind loads the index chunks and
   result fragments the query needs. Every text from the index reaches the page as text. */
(function () {
  "use strict";
  var root = document.querySelector("[data-gk-search]");
  if (!root) return;
  var form = root.querySelector("form");
  var input = root.querySelector("input");
  var panel = root.querySelector(".gk-search__panel");
  var status = root.querySelector(".gk-search__status");
  var list = root.querySelector(".gk-search__results");
  var base = new URL((root.getAttribute("data-gk-base") || ".").replace(/\/?$/, "/"), location.href);
  var MAX_RESULTS = 10;
  var DELAY_MS = 80;  // after the last keystroke: one query per pause in typing
  var pagefind = null;
  var timer = 0;
  var latest = 0;

  function say(text) {
    panel.hidden = false;
    status.textContent = text;
  }

  function load() {
    if (location.protocol === "file:") {
      return Promise.reject(new Error("file"));
    }
    if (!pagefind) {
      pagefind = import(new URL("pagefind/pagefind.js", base).href).then(function (pf) {
        return pf.options({ baseUrl: base.pathname, excerptLength: 40 }).then(function () { return pf; });
      });
      pagefind.catch(function () { pagefind = null; });  // try again on the next query
    }
    return pagefind;
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

  function search(query) {
    var mine = ++latest;
    load().then(function (pf) {
      return pf.search(query);
    }).then(function (found) {
      if (mine !== latest) return null;
      var shown = found.results.slice(0, MAX_RESULTS);
      return Promise.all(shown.map(function (r) { return r.data(); })).then(function (data) {
        if (mine !== latest) return;
        list.replaceChildren.apply(list, data.map(item));
        list.dataset.query = query;  // which query the list answers (for tests and styles)
        var n = found.results.length;
        say(n === 0 ? "未找到与“" + query + "”相关的页面" :
          "找到 " + n + " 个相关页面" + (n > shown.length ? "，显示前 " + shown.length + " 个" : ""));
      });
    }).catch(function (error) {
      if (mine !== latest) return;
      list.replaceChildren();
      list.dataset.query = query;
      say(error && error.message === "file"
        ? "从本地文件打开网站时无法搜索：请通过网站地址（http:// 或 https://）访问本门户后再搜索。"
        : "暂时无法搜索：未能载入本站的搜索索引（预览 mkdocs serve 时不生成索引；请生成网站后再试）。");
    });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    var query = input.value.trim();
    if (query && pagefind) pagefind.then(function (pf) { pf.preload(query); }).catch(function () {});
    if (!query) {
      ++latest;
      list.replaceChildren();
      status.textContent = "";
      panel.hidden = true;
      return;
    }
    timer = setTimeout(function () { search(query); }, DELAY_MS);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    if (input.value.trim()) search(input.value.trim());
  });
  // The reader is about to search: load Pagefind itself (no index yet) while they type, or say
  // at once that a site opened from disk cannot search.
  input.addEventListener("focus", function () {
    if (location.protocol === "file:") {
      search(input.value.trim());
    } else {
      load().then(function (pf) { return pf.init(); }).catch(function () {});
      if (list.children.length) panel.hidden = false;
    }
  });
  root.addEventListener("keydown", function (event) {
    var links = Array.prototype.slice.call(list.querySelectorAll("a"));
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
