import './polyfills.js';

// The CLI and the local stack run on the machine's Node (20 here). The AWS SDK prints a
// multi-line notice that its 2027 releases need Node 22 on every start; the locked SDK works,
// and the README recommends Node 22, so keep people's terminals for their own output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
