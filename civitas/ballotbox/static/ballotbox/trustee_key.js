// A trustee's key pair, made in their browser: the private key goes into a file the
// browser downloads and never leaves the computer; only the public line is posted.
// The file is byte for byte what civitas.ballotbox.crypto.format_trustee_key writes.
(function () {
  "use strict";
  const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"; // Crockford's base 32
  const CHECK_PREFIX = new TextEncoder().encode("civitas-share-check\u0000");

  function symbols(bytes, count) {
    let number = 0n;
    for (const byte of bytes) number = (number << 8n) | BigInt(byte);
    const shift = count * 5 - bytes.length * 8;
    number = shift >= 0 ? number << BigInt(shift) : number >> BigInt(-shift);
    let text = "";
    for (let i = count - 1; i >= 0; i--) text += ALPHABET[Number((number >> BigInt(5 * i)) & 31n)];
    return text;
  }

  async function encodeKey(bytes) {
    const data = new Uint8Array(CHECK_PREFIX.length + bytes.length);
    data.set(CHECK_PREFIX);
    data.set(bytes, CHECK_PREFIX.length);
    const check = new Uint8Array(await crypto.subtle.digest("SHA-256", data)).slice(0, 3);
    return (symbols(bytes, 52) + symbols(check, 4)).match(/.{4}/g).join("-");
  }

  function fromBase64Url(text) {
    const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(binary, (character) => character.charCodeAt(0));
  }

  async function makeKeyFile(maker) {
    const pair = await crypto.subtle.generateKey({ name: "X25519" }, true, ["deriveBits"]);
    const publicKey = new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey));
    const privateKey = fromBase64Url((await crypto.subtle.exportKey("jwk", pair.privateKey)).d);
    const data = maker.dataset;
    const publicLine = await encodeKey(publicKey);
    const text =
      "civitas-trustee-key v2\n" +
      `vote: ${data.vote}\n` +
      `title: ${data.title}\n` +
      `trustee: ${data.index} of ${data.total}, ${data.name}\n` +
      `public: ${publicLine}\n` +
      `key: ${await encodeKey(privateKey)}\n`;
    return { text, publicLine };
  }

  async function browserCanMakeKeys() {
    try {
      await crypto.subtle.generateKey({ name: "X25519" }, true, ["deriveBits"]);
      return true;
    } catch (error) {
      return false;
    }
  }

  async function setUp() {
    const maker = document.getElementById("trustee-key-maker");
    if (!maker || !window.crypto || !crypto.subtle || !(await browserCanMakeKeys())) return;
    maker.hidden = false;
    const button = document.getElementById("make-key");
    button.addEventListener("click", async () => {
      const { text, publicLine } = await makeKeyFile(maker);
      const link = document.getElementById("download-key");
      link.href = URL.createObjectURL(new Blob([text], { type: "text/plain;charset=utf-8" }));
      document.getElementById("made-key-text").textContent = text;
      document.getElementById("public-key").value = "public: " + publicLine;
      document.getElementById("made-key").hidden = false;
      button.hidden = true; // one key per trustee: a second would void the first file
      link.click();
    });
  }

  document.addEventListener("DOMContentLoaded", setUp);
})();
