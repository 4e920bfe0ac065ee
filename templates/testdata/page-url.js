// page-url.js runs index.html's script in node with a stub DOM and prints,
// for each address given, the WebSocket URL the page opens. Used by
// templates_test.go: node index.html address...
"use strict";
const fs = require("fs");
const html = fs.readFileSync(process.argv[2], "utf8");
const script = html.match(/<script>([\s\S]*?)<\/script>/)[1];

function wsURL(href) {
  const u = new URL(href);
  const opened = [];
  const element = () => ({ addEventListener() {}, value: "", className: "", textContent: "", appendChild() {}, removeChild() {}, children: [] });
  function WebSocket(url) { opened.push(url); }
  WebSocket.OPEN = 1;
  const globals = {
    location: { protocol: u.protocol, host: u.host, search: u.search },
    URLSearchParams,
    document: { getElementById: element, createElement: element },
    sessionStorage: { getItem() { return ""; }, setItem() {} },
    WebSocket,
    setTimeout() {},
  };
  new Function(...Object.keys(globals), script)(...Object.values(globals));
  return opened[0];
}

for (const href of process.argv.slice(3)) {
  console.log(href + " " + wsURL(href));
}
