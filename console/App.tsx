// The console's frame: who is signed in (GET /me), the screens for no session and no role,
// automatic logoff, and the views the user's roles may call (the contract's mayCall: the
// same rule the collector enforces, so the nav never offers a page that would be refused).
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { CONSOLE_AUTH_PATHS, CONSOLE_BASE, CONSOLE_ROUTES, mayCall, type ConsoleRouteName } from '../common/console/consoleApi';
import { call, ConsoleApiError, setCsrfToken, whenUnauthenticated } from './api/consoleClient';
import { takeWhereTo } from './returnTo';
import { Link, navigate, useLocation, useMarkNavigationOnPopState, type Location } from './router';
import { errorMessage, Loading, ViewHeading } from './ui';
import { AccessView } from './views/Access';
import { AccessLogView } from './views/AccessLog';
import { AccessReviewView } from './views/AccessReview';
import { AlertsView } from './views/Alerts';
import { ComplianceView } from './views/Compliance';
import { DevicesView } from './views/Devices';
import { LookupView } from './views/Lookup';
import { RetentionView } from './views/Retention';
import { RefusedView, SignedOutView, type SignedOutReason } from './views/SignedOut';
import { SessionsView } from './views/Sessions';
import { SessionTimelineView } from './views/SessionTimeline';

// The charts (Observable Plot and d3) are most of the bundle; only reviewers' first page needs them.
const OverviewView = lazy(() => import('./views/Overview').then((module) => ({ default: module.OverviewView })));

type Me = Awaited<ReturnType<typeof call<'me'>>>;

interface ViewEntry {
  path: string;
  label: string;
  route: ConsoleRouteName;
}
const VIEWS: readonly ViewEntry[] = [
  { path: '/', label: 'Overview', route: 'overview' },
  { path: '/sessions', label: 'Sessions', route: 'sessions' },
  { path: '/lookup', label: 'Watermark lookup', route: 'lookup' },
  { path: '/alerts', label: 'Alerts', route: 'alerts' },
  { path: '/compliance', label: 'Compliance status', route: 'compliance' },
  { path: '/devices', label: 'Devices', route: 'devices' },
  { path: '/access', label: 'Access', route: 'access' },
  { path: '/access-log', label: 'Access log', route: 'accessLog' },
  { path: '/access-review', label: 'Access review', route: 'accessReview' },
  { path: '/retention', label: 'Retention', route: 'retention' },
];

const SIGNED_OUT_PATH = CONSOLE_AUTH_PATHS.signedOut.slice(CONSOLE_BASE.length);

type Ended = { reason: SignedOutReason; message: string | null; idleSeconds: number | null };
type Limits = { idleSeconds: number; expiresAt: number };

export function App() {
  const location = useLocation();
  useMarkNavigationOnPopState();
  const queryClient = useQueryClient();
  const [ended, setEnded] = useState<Ended | null>(null);
  const onSignedOutPage = location.path === SIGNED_OUT_PATH;

  const me = useQuery({ queryKey: ['me'], queryFn: () => call('me'), enabled: !onSignedOutPage && ended === null });
  /** Kept apart from the query, which is cleared at logoff, to say why the session ended. */
  const limits = useRef<Limits | null>(null);

  const end = useCallback(
    (reason: SignedOutReason, message: string | null) => {
      // What was on screen goes with the session: nothing stays readable after logoff.
      setCsrfToken(null);
      queryClient.clear();
      // The collector says session-expired for both limits; past the maximum length it was not idleness.
      const pastLimit = limits.current !== null && Date.now() >= limits.current.expiresAt;
      setEnded({ reason: reason === 'session-expired' && pastLimit ? 'session-limit' : reason, message, idleSeconds: limits.current?.idleSeconds ?? null });
    },
    [queryClient],
  );
  const endIdle = useCallback(() => end('idle', null), [end]);

  useEffect(() => {
    whenUnauthenticated((error) => end(error.code === 'session-expired' ? 'session-expired' : 'signed-out', error.message));
    return () => whenUnauthenticated(null);
  }, [end]);

  useEffect(() => {
    if (me.data === undefined) return;
    setCsrfToken(me.data.csrfToken);
    limits.current = { idleSeconds: me.data.idleTimeoutSeconds, expiresAt: Date.parse(me.data.expiresAt) };
    const back = takeWhereTo();
    // The first page is the roles' own (an admin's is the devices list, chosen as the page
    // renders): going back to '/' here would undo that and leave the page empty.
    if (back !== null && back !== '/') navigate(back, { replace: true });
  }, [me.data]);

  if (onSignedOutPage) return <SignedOutView reason="signed-out-by-user" message={null} idleSeconds={null} />;
  if (ended !== null) return <SignedOutView reason={ended.reason} message={ended.message} idleSeconds={ended.idleSeconds} />;
  if (me.isPending) {
    return (
      <main id="main" className="screen centered" aria-busy="true">
        <h1>Cordon console</h1>
        <p role="status">Checking your sign-in…</p>
      </main>
    );
  }
  if (me.isError) {
    const error = me.error;
    if (error instanceof ConsoleApiError && error.status === 401) {
      return <SignedOutView reason={error.code === 'session-expired' ? 'session-expired' : 'signed-out'} message={error.message} idleSeconds={null} />;
    }
    if (error instanceof ConsoleApiError && error.status === 403) {
      return <RefusedView message={error.message} csrfToken={typeof error.body.csrfToken === 'string' ? error.body.csrfToken : null} />;
    }
    return (
      <main id="main" className="screen centered">
        <div className="card">
          <h1>The console cannot start</h1>
          <p role="alert">{errorMessage(error)}</p>
          <p>
            <a className="button" href={location.key}>
              Try again
            </a>
          </p>
        </div>
      </main>
    );
  }
  return <SignedIn me={me.data} location={location} onIdle={endIdle} />;
}

/** Automatic logoff on the page too: after the collector's idle timeout without input, what is shown goes. */
function useIdleLogoff(seconds: number, onIdle: () => void): void {
  useEffect(() => {
    let timer = window.setTimeout(onIdle, seconds * 1000);
    const activity = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(onIdle, seconds * 1000);
    };
    const events = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;
    for (const name of events) window.addEventListener(name, activity, { passive: true });
    return () => {
      window.clearTimeout(timer);
      for (const name of events) window.removeEventListener(name, activity);
    };
  }, [seconds, onIdle]);
}

function SignedIn({ me, location, onIdle }: { me: Me; location: Location; onIdle: () => void }) {
  useIdleLogoff(me.idleTimeoutSeconds, onIdle);
  const allowed = VIEWS.filter((view) => mayCall(CONSOLE_ROUTES[view.route], me.roles));
  const home = allowed[0];

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/" className="brand">
          Cordon <span>console</span>
        </Link>
        <p className="who">
          <span className="who-name">{me.name}</span> <span className="who-roles">{me.roles.join(', ')}</span>
        </p>
        <SignOutButton />
      </header>
      <nav className="sidebar" aria-label="Console">
        <ul>
          {allowed.map((view) => (
            <li key={view.path}>
              <Link to={view.path} aria-current={isCurrent(view.path, location.path) ? 'page' : undefined}>
                {view.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1}>
        <Routed location={location} roles={me.roles} home={home} />
      </main>
    </>
  );
}

function isCurrent(viewPath: string, path: string): boolean {
  return viewPath === '/' ? path === '/' : path === viewPath || path.startsWith(`${viewPath}/`);
}

function Routed({ location, roles, home }: { location: Location; roles: readonly string[]; home: ViewEntry | undefined }) {
  const may = (route: ConsoleRouteName) => mayCall(CONSOLE_ROUTES[route], roles);
  const guard = (route: ConsoleRouteName, view: ReactNode) => (may(route) ? view : <NotForYou />);
  const { path, search } = location;
  const overview = may('overview');

  useEffect(() => {
    // The overview is for reviewers; an admin's first page is the devices list.
    if (path === '/' && !overview && home !== undefined) navigate(home.path, { replace: true });
  }, [path, overview, home]);

  if (path === '/') {
    return overview ? (
      <Suspense fallback={<Loading what="the overview" />}>
        <OverviewView />
      </Suspense>
    ) : null;
  }
  if (path === '/sessions') return guard('sessions', <SessionsView search={search} roles={roles} />);
  const timeline = /^\/sessions\/([^/]+)\/([^/]+)$/.exec(path);
  if (timeline !== null) {
    const [, deviceId = '', code = ''] = timeline;
    return guard('timeline', <SessionTimelineView key={`${deviceId}/${code}`} deviceId={decodeURIComponent(deviceId)} code={decodeURIComponent(code)} at={search.get('at')} roles={roles} />);
  }
  if (path === '/lookup') return guard('lookup', <LookupView />);
  if (path === '/alerts') return guard('alerts', <AlertsView search={search} />);
  if (path === '/devices') return guard('devices', <DevicesView />);
  if (path === '/access') return guard('access', <AccessView search={search} />);
  if (path === '/access-log') return guard('accessLog', <AccessLogView search={search} />);
  if (path === '/access-review') return guard('accessReview', <AccessReviewView search={search} />);
  if (path === '/retention') return guard('retention', <RetentionView roles={roles} />);
  if (path === '/compliance') return guard('compliance', <ComplianceView roles={roles} />);
  return (
    <>
      <ViewHeading title="Not found">There is no such page</ViewHeading>
      <p>
        The address does not name a page of the console. <Link to="/">Go to the first page</Link>.
      </p>
    </>
  );
}

function NotForYou() {
  return (
    <>
      <ViewHeading title="Not available">This page is not available to your roles</ViewHeading>
      <p>The collector refuses it for your roles, so the console does not ask. If you need it, ask IT for the role that includes it.</p>
    </>
  );
}

function SignOutButton() {
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const signOut = () => {
    setBusy(true);
    call('signOut', { body: {} })
      .then(({ endSessionUrl }) => window.location.assign(endSessionUrl ?? CONSOLE_AUTH_PATHS.signedOut))
      .catch((error: unknown) => {
        setBusy(false);
        setProblem(errorMessage(error));
      });
  };
  return (
    <div className="sign-out">
      <button type="button" className="secondary" onClick={signOut} disabled={busy}>
        Sign out
      </button>
      {problem !== null && (
        <p className="notice notice-problem" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}
