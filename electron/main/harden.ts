import type { App, Session } from 'electron';

/**
 * App-wide guards, applied before any window opens: every response carries our CSP, no page
 * navigates away or opens windows (links to the web go to the system browser), and every
 * permission request (camera, geolocation, notifications...) is denied.
 */
export function hardenApp(app: App, ses: Session, csp: string, openExternal: (url: string) => void): void {
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (url !== contents.getURL()) event.preventDefault();
    });
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (/^https:\/\//.test(url)) openExternal(url);
      return { action: 'deny' };
    });
  });
}
