// A small app written from CometChat's calling pages (/work/shared/seeds:
// "Default Call" JavaScript v3 and v4, and the Calls SDK ringing page).
// Only the import and the init/login lines differ from what those pages
// show; the rest is their snippets, wired to a few functions the test calls
// (window.app) and an event log (window.events) the test reads.

// ---- the lines that differ: import, init, login --------------------------
import { CometChat, CometChatCalls, switchboardOf } from "@switchboard-rtc/sdk/cometchat";

const params = new URLSearchParams(location.search);
await CometChat.init({ baseUrl: params.get("server") });
await CometChat.login(params.get("token"));
// ---------------------------------------------------------------------------

/** @type {{name: string, sessionId?: string, status?: string, detail?: any}[]} */
const events = [];
window.events = events;
window.switchboardApp = { get sb() { return switchboardOf(); } }; // for the test's getStats
const log = (name, call, detail) => {
  events.push({ name, sessionId: call && call.getSessionId ? call.getSessionId() : undefined, status: call && call.getStatus ? call.getStatus() : undefined, detail });
  document.getElementById("status").textContent = name;
};
let lastCall = null;

// ---- "Receive Calls" (v3/v4), as written ------------------------------------
var listnerID = "UNIQUE_LISTENER_ID";
CometChat.addCallListener(
listnerID,
new CometChat.CallListener({
  onIncomingCallReceived: (call) => {
    console.log("Incoming call:", call);
    lastCall = call;
    log("onIncomingCallReceived", call, { initiator: call.getCallInitiator().getName(), initiatedAt: call.getInitiatedAt(), receiverType: call.getReceiverType() });
  },
  onOutgoingCallAccepted: (call) => {
    console.log("Outgoing call accepted:", call);
    log("onOutgoingCallAccepted", call);
    // Receiver accepted, start the call session
    startCallSession(call);
  },
  onOutgoingCallRejected: (call) => {
    console.log("Outgoing call rejected:", call);
    log("onOutgoingCallRejected", call);
  },
  onIncomingCallCancelled: (call) => {
    console.log("Incoming call calcelled:", call);
    log("onIncomingCallCancelled", call);
  },
  onCallEndedMessageReceived: (call) => {
    console.log("CallEnded Message:", call);
    log("onCallEndedMessageReceived", call);
  }
})
);

// ---- "Initiate Call" ---------------------------------------------------------
function initiate(receiverID, timeout) {
  var callType = CometChat.CALL_TYPE.VIDEO;
  var receiverType = CometChat.RECEIVER_TYPE.USER;

  var call = new CometChat.Call(receiverID, callType, receiverType);

  return CometChat.initiateCall(call, timeout).then(
  (outGoingCall) => {
    console.log("Call initiated successfully:", outGoingCall);
    lastCall = outGoingCall;
    log("initiated", outGoingCall, { timeout: outGoingCall.raw && outGoingCall.raw.timeout, initiatedAt: outGoingCall.getInitiatedAt(), receiver: outGoingCall.getCallReceiver().getName() });
  },
  (error) => {
    console.log("Call initialization failed with exception:", error);
    log("initiateFailed", null, error.code);
  }
  );
}

// ---- "Accept the Incoming Call" + "Start Call Session" (receiver flow) -------
function accept() {
  const sessionId = lastCall.getSessionId(); // From onIncomingCallReceived
  return CometChat.acceptCall(sessionId).then(
    (call) => {
      console.log("Call accepted:", call);
      log("accepted", call);
      // Call accepted, now start the call session
      startCallSession(call);
    },
    (error) => {
      console.log("Accept call failed:", error);
      log("acceptFailed", null, error.code);
    }
  );
}

// ---- "Reject the Incoming Call" ---------------------------------------------
function reject() {
  var sessionID = lastCall.getSessionId();
  var status = CometChat.CALL_STATUS.REJECTED;

  return CometChat.rejectCall(sessionID, status).then(
  (call) => {
    console.log("Call rejected successfully", call);
    log("rejected", call);
  },
  (error) => {
    console.log("Call rejection failed with error:", error);
    log("rejectFailed", null, error.code);
  }
  );
}

// ---- "Cancel the Outgoing Call" ---------------------------------------------
function cancel() {
  var sessionID = lastCall.getSessionId();
  var status = CometChat.CALL_STATUS.CANCELLED;

  return CometChat.rejectCall(sessionID, status).then(
  (call) => {
    console.log("Call canceled successfully", call);
    log("cancelled", call);
  },
  (error) => {
    console.log("Call cancelation failed with error:", error);
    log("cancelFailed", null, error.code);
  }
  );
}

// ---- "Start Call Session" (v4), as written -----------------------------------
async function startCallSession(call) {
const sessionId = call . getSessionId ();
const loggedInUser = await CometChat . getLoggedinUser ();
const authToken = loggedInUser . getAuthToken ();
// Step 1: Generate call token
CometChatCalls . generateToken ( sessionId , authToken ). then (
( callToken ) => {
// Step 2: Configure call settings
const callListener = new CometChatCalls . OngoingCallListener ({
onCallEnded : () => {
CometChat . clearActiveCall ();
CometChatCalls . endSession ();
// Close calling screen
log ( "onCallEnded" , call );
},
onCallEndButtonPressed : () => {
CometChat . endCall ( sessionId ). then (
() => {
CometChat . clearActiveCall ();
CometChatCalls . endSession ();
// Close calling screen
log ( "endedByButton" , call );
},
( error ) => { console . log ( "End call failed:" , error ); log ( "endFailed" , null , error . code ); }
);
},
onUserJoined : ( user ) => { console . log ( "User joined:" , user ); log ( "onUserJoined" , null , user . getName ()); },
onUserLeft : ( user ) => { console . log ( "User left:" , user ); log ( "onUserLeft" , null , user . getName ()); },
onError : ( error ) => { console . log ( "Call error:" , error ); log ( "onError" , null , error . code ); }
});
const callSettings = new CometChatCalls . CallSettingsBuilder ()
. enableDefaultLayout ( true )
. setIsAudioOnlyCall ( false )
. setCallListener ( callListener )
. build ();
// Step 3: Start the session
const htmlElement = document . getElementById ( "call-container" );
CometChatCalls . startSession ( callToken , callSettings , htmlElement );
log ( "startSession" , call );
},
( error ) => {
console . log ( "Token generation failed:" , error );
log ( "tokenFailed" , null , error . code );
}
);
}

// ---- "End a Call" (Calls SDK page): leave the session first, then endCall ---
function leaveThenEnd() {
  const sessionId = lastCall.getSessionId();
  // 1. Leave the call session (Calls SDK)
  return CometChatCalls.leaveSession().then(() =>
  // 2. Notify other participants (Chat SDK)
  CometChat.endCall(sessionId).then(
    (call) => {
      console.log("Call ended successfully");
      log("endedAfterLeave", call);
    },
    (error) => {
      console.log("End call failed:", error);
      log("endFailed", null, error.code);
    }
  ));
}

window.app = { initiate, accept, reject, cancel, leaveThenEnd, activeCall: () => CometChat.getActiveCall() };
log("ready", null, (await CometChat.getLoggedinUser()).getUid());
