// A TypeScript app using the SDK's public surface as a CometChat user would
// (the seeds' TypeScript snippets, with only the import and init/login
// lines changed): every class of the CometChat namespaces as a value and as
// a type. Type-checked against the generated .d.ts by scripts/test and, from
// the npm tarball, by web's TestSDKPackage.
import { Switchboard, CALL_TYPE, SwitchboardError } from "@switchboard-rtc/sdk";
import type { Call as SwitchboardCall } from "@switchboard-rtc/sdk";
import { CometChat, CometChatCalls } from "@switchboard-rtc/sdk/cometchat";

export async function start(authToken: string): Promise<CometChat.User> {
  await CometChat.init({ baseUrl: "https://calls.example.com" });
  const user: CometChat.User = await CometChat.login(authToken);
  const name: string = user.getName() + user.getUid() + user.getAvatar();
  console.log(name);
  return user;
}

export function ring(): void {
  const receiverID: string = "UID";
  const callType: string = CometChat.CALL_TYPE.VIDEO;
  const receiverType: string = CometChat.RECEIVER_TYPE.USER;
  const call: CometChat.Call = new CometChat.Call(receiverID, callType, receiverType);
  CometChat.initiateCall(call).then(
    (outgoingCall: CometChat.Call) => {
      const initiator: CometChat.User = outgoingCall.getCallInitiator();
      const receiver: CometChat.User | CometChat.Group = outgoingCall.getCallReceiver();
      const at: number = outgoingCall.getInitiatedAt();
      console.log("Call initiated:", initiator.getName(), receiver.getName(), at);
    },
    (error: CometChat.CometChatException) => {
      console.log("Call initiation failed:", error.code, error.message);
    },
  );
  const group: CometChat.Call = new CometChat.Call("GUID", CometChat.CALL_TYPE.AUDIO, CometChat.RECEIVER_TYPE.GROUP);
  CometChat.initiateCall(group, 30);
}

export function listen(): CometChat.CallListener {
  const listenerId: string = "UNIQUE_LISTENER_ID";
  const listener: CometChat.CallListener = new CometChat.CallListener({
    onIncomingCallReceived: (call: CometChat.Call) => {
      const sessionId: string = call.getSessionId();
      CometChat.acceptCall(sessionId).then(
        (accepted: CometChat.Call) => join(accepted),
        (error: CometChat.CometChatException) => console.log("Accept call failed:", error),
      );
    },
    onOutgoingCallAccepted: (call: CometChat.Call) => join(call),
    onOutgoingCallRejected: (call: CometChat.Call) => console.log(call.getStatus()),
    onIncomingCallCancelled: (call: CometChat.Call) => {
      const status: string = CometChat.CALL_STATUS.CANCELLED;
      console.log(call.getAction() === status);
    },
    onCallEndedMessageReceived: (call: CometChat.Call) => console.log(call.getEndedAt()),
  });
  CometChat.addCallListener(listenerId, listener);
  CometChat.removeCallListener(listenerId);
  return listener;
}

export async function join(call: CometChat.Call): Promise<void> {
  const sessionId: string = call.getSessionId();
  const loggedInUser: CometChat.User | null = await CometChat.getLoggedinUser();
  const authToken: string = loggedInUser ? loggedInUser.getAuthToken() : "";
  CometChatCalls.generateToken(sessionId, authToken).then(
    (callToken: any) => {
      const callListener: CometChatCalls.OngoingCallListener = new CometChatCalls.OngoingCallListener({
        onCallEnded: () => {
          CometChat.clearActiveCall();
          CometChatCalls.endSession();
        },
        onCallEndButtonPressed: () => {
          CometChat.endCall(sessionId).then(
            () => {
              CometChat.clearActiveCall();
              CometChatCalls.endSession();
            },
            (error: CometChat.CometChatException) => console.log("End call failed:", error),
          );
        },
        onUserJoined: (user: CometChat.User) => console.log("User joined:", user.getName()),
        onUserLeft: (user: any) => console.log("User left:", user),
        onError: (error: any) => console.log("Call error:", error),
      });
      const builder: CometChatCalls.CallSettingsBuilder = new CometChatCalls.CallSettingsBuilder();
      const callSettings = builder.enableDefaultLayout(true).setIsAudioOnlyCall(false).setCallListener(callListener).build();
      const htmlElement = document.getElementById("call-container") as HTMLElement;
      CometChatCalls.startSession(callToken, callSettings, htmlElement);
    },
    (error: CometChat.CometChatException) => console.log("Token generation failed:", error),
  );
}

export async function newerCallsSDK(sessionId: string): Promise<void> {
  const settings = new CometChatCalls.SessionSettingsBuilder().setType(CometChat.CALL_TYPE.VIDEO).build();
  const b: CometChatCalls.SessionSettingsBuilder = new CometChatCalls.SessionSettingsBuilder();
  await CometChatCalls.joinSession(sessionId, settings, document.body);
  await CometChatCalls.leaveSession();
  await CometChat.endCall(sessionId);
  const active: CometChat.Call | null = CometChat.getActiveCall();
  const g: CometChat.Group = new CometChat.Group("team", "Team");
  console.log(active, g.getGuid(), b.build().audioOnly);
}

// switchboard's own API, kept alongside
export async function own(token: string): Promise<number> {
  const sb: Switchboard = new Switchboard({ baseUrl: "https://calls.example.com" });
  await sb.login(token);
  const c: SwitchboardCall = await sb.initiateCall("bob", "user", CALL_TYPE.VIDEO);
  try {
    await sb.endCall(c.sessionId);
  } catch (err) {
    if (err instanceof SwitchboardError) console.log(err.code);
  }
  sb.logout();
  return c.getDuration();
}
