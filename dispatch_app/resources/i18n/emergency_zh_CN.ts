<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AlertBanner</name>
    <message>
        <location filename="../../../ui/emergencies/alert_banner.py" line="47"/>
        <source>Open the alert&apos;s case</source>
        <translation>打开预警事项</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/alert_banner.py" line="48"/>
        <source>Change alert…</source>
        <translation>调整预警…</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/alert_banner.py" line="64"/>
        <source>YELLOW heavy-pollution weather alert</source>
        <translation>重污染天气黄色预警</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/alert_banner.py" line="65"/>
        <source>ORANGE heavy-pollution weather alert</source>
        <translation>重污染天气橙色预警</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/alert_banner.py" line="66"/>
        <source>RED heavy-pollution weather alert</source>
        <translation>重污染天气红色预警</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/alert_banner.py" line="74"/>
        <source>No heavy-pollution weather alert</source>
        <translation>当前无重污染天气预警</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/alert_banner.py" line="77"/>
        <source>No heavy-pollution weather alert (lifted {0} by {1})</source>
        <translation>当前无重污染天气预警（{0}由{1}解除）</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/alert_banner.py" line="86"/>
        <source> [EXERCISE]</source>
        <translation>【演练】</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/alert_banner.py" line="88"/>
        <source>{0}{1} — since {2}: {3}</source>
        <translation>{0}{1} — 自{2}起：{3}</translation>
    </message>
</context>
<context>
    <name>AlertDialog</name>
    <message>
        <location filename="../../../ui/emergencies/integration.py" line="118"/>
        <source>Heavy-pollution weather alert</source>
        <translation>重污染天气预警</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/integration.py" line="121"/>
        <source>No alert (lift)</source>
        <translation>无预警（解除）</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/integration.py" line="122"/>
        <source>Yellow</source>
        <translation>黄色</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/integration.py" line="123"/>
        <source>Orange</source>
        <translation>橙色</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/integration.py" line="124"/>
        <source>Red</source>
        <translation>红色</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/integration.py" line="128"/>
        <source>Forecast and reason (required)</source>
        <translation>预报情况与理由（必填）</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/integration.py" line="129"/>
        <source>Level</source>
        <translation>级别</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/integration.py" line="130"/>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
</context>
<context>
    <name>CapHistoryBox</name>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="450"/>
        <source>CAP messages</source>
        <translation>CAP消息</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="457"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="457"/>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="457"/>
        <source>By</source>
        <translation>发送人</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="457"/>
        <source>To</source>
        <translation>收件方</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="472"/>
        <source>Send CAP alert…</source>
        <translation>发送CAP预警…</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="474"/>
        <source>Update…</source>
        <translation>更新…</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="476"/>
        <source>Cancel alert…</source>
        <translation>撤销…</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="478"/>
        <source>Export XML…</source>
        <translation>导出XML…</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="516"/>
        <source>Alert</source>
        <translation>发布</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="517"/>
        <source>Update</source>
        <translation>更新</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="518"/>
        <source>Cancel</source>
        <translation>撤销</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="522"/>
        <source>[Exercise]</source>
        <translation>【演练】</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="524"/>
        <source>Received from {0}: {1}</source>
        <translation>收自{0}：{1}</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="526"/>
        <source>Pollution alert: {0}</source>
        <translation>重污染天气预警：{0}</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="557"/>
        <source>Select an emergency first.</source>
        <translation>请先选择突发环境事件。</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="563"/>
        <source>Sending CAP messages needs a duty officer or shift leader.</source>
        <translation>发送CAP消息需值班员或带班领导权限。</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="573"/>
        <source>{0} is in force: send an update or cancel it</source>
        <translation>{0}仍有效：请发送更新或撤销</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="580"/>
        <source>No CAP message of this emergency is in force</source>
        <translation>本事件没有仍有效的CAP消息</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="583"/>
        <source>Update and cancel need a CAP message in force.</source>
        <translation>更新和撤销须有仍有效的CAP消息。</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="586"/>
        <source>A new alert waits until {0} is cancelled.</source>
        <translation>{0}撤销后才能发布新的预警。</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="591"/>
        <source>Select a message in the list to export it</source>
        <translation>请在列表中选择要导出的消息</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="594"/>
        <source>Select a message to export its XML.</source>
        <translation>选择一条消息可导出其XML。</translation>
    </message>
</context>
<context>
    <name>CapPreviewDialog</name>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="91"/>
        <source>Preview CAP alert before sending</source>
        <translation>CAP预警发送前预览</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="92"/>
        <source>Preview CAP update before sending</source>
        <translation>CAP更新发送前预览</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="93"/>
        <source>Preview CAP cancellation before sending</source>
        <translation>CAP撤销发送前预览</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="94"/>
        <source>Preview CAP message</source>
        <translation>CAP消息预览</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="100"/>
        <source>EXERCISE: sent with status Exercise, a drill message, not a real one</source>
        <translation>演练：以 Exercise 状态发送，为演练消息，并非真实事件</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="112"/>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="118"/>
        <source>XML (CAP 1.2)</source>
        <translation>XML（CAP 1.2）</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="128"/>
        <source>Do not send</source>
        <translation>不发送</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="164"/>
        <source>Alert: a new message</source>
        <translation>发布：新消息</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="165"/>
        <source>Update: replaces the earlier message(s)</source>
        <translation>更新：替代此前发送的消息</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="166"/>
        <source>Cancel: withdraws the earlier message(s)</source>
        <translation>撤销：撤回此前发送的消息</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="169"/>
        <source>Actual (a real event)</source>
        <translation>实际（真实事件）</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="170"/>
        <source>Exercise (a drill)</source>
        <translation>演练</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="173"/>
        <source>Headline</source>
        <translation>标题</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="174"/>
        <source>Message type</source>
        <translation>消息类型</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="175"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="176"/>
        <source>Event</source>
        <translation>事件</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="177"/>
        <source>Severity</source>
        <translation>严重程度</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="178"/>
        <source>Urgency</source>
        <translation>紧急程度</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="180"/>
        <source>Certainty</source>
        <translation>确定程度</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="183"/>
        <source>Area</source>
        <translation>区域</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="185"/>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="191"/>
        <source>Instruction</source>
        <translation>指引</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="196"/>
        <source>Why it is updated or cancelled (shown to the recipients)</source>
        <translation>更新或撤销的原因（收件方可见）</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="198"/>
        <source>A note to the recipients (optional)</source>
        <translation>给收件方的说明（选填）</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="201"/>
        <source>Note</source>
        <translation>说明</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="203"/>
        <source>{0} ({1}, sent {2})</source>
        <translation>{0}（{1}，发送于{2}）</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="205"/>
        <source>none: the first message of this emergency</source>
        <translation>无：本事件的第一条消息</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="206"/>
        <source>References</source>
        <translation>引用</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="207"/>
        <source>Sender</source>
        <translation>发送方</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="208"/>
        <source>Identifier</source>
        <translation>标识符</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="209"/>
        <source>Sent</source>
        <translation>发送时间</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="209"/>
        <source>when you confirm</source>
        <translation>确认发送时</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="222"/>
        <source>Recipients</source>
        <translation>收件方</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="229"/>
        <source>Public: for everyone</source>
        <translation>公开：面向所有人</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="230"/>
        <source>Restricted: agencies with an operational need</source>
        <translation>限定：仅限有处置需要的单位</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="231"/>
        <source>Private: only the recipients ticked</source>
        <translation>定向：仅发给勾选的收件方</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="236"/>
        <source>Scope</source>
        <translation>发布范围</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="266"/>
        <source>* sample address (rules/cap.toml): replace before use</source>
        <translation>* 示例地址（rules/cap.toml），正式使用前须替换</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="287"/>
        <source>Extreme: extraordinary threat to life or property</source>
        <translation>特别严重：对生命财产构成特别重大威胁</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="288"/>
        <source>Severe: significant threat to life or property</source>
        <translation>严重：对生命财产构成重大威胁</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="289"/>
        <source>Moderate: possible threat to life or property</source>
        <translation>较重：可能威胁生命财产</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="290"/>
        <source>Minor: minimal to no known threat</source>
        <translation>一般：威胁很小或无已知威胁</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="291"/>
        <source>Unknown: the level is not decided yet</source>
        <translation>未知：事件级别尚未确定</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="297"/>
        <source>Immediate: act now</source>
        <translation>立即：须立即采取行动</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="298"/>
        <source>Expected: act within the next hour</source>
        <translation>预期：一小时内采取行动</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="299"/>
        <source>Future: act in the near future</source>
        <translation>将来：近期采取行动</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="300"/>
        <source>Past: no action needed any more</source>
        <translation>已过去：无需再采取行动</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="301"/>
        <location filename="../../../ui/emergencies/cap.py" line="311"/>
        <source>Unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="307"/>
        <source>Observed: determined to have occurred</source>
        <translation>已观测：确认已发生</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="308"/>
        <source>Likely: more likely than not</source>
        <translation>很可能：发生可能性大于一半</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="309"/>
        <source>Possible: possible but not likely</source>
        <translation>可能：有可能但不大</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="310"/>
        <source>Unlikely: not expected to occur</source>
        <translation>不太可能：预计不会发生</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="324"/>
        <source>geocode {0} {1}</source>
        <translation>地理编码 {0} {1}</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="325"/>
        <source>no area</source>
        <translation>无区域</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="328"/>
        <source>circle: centre {0:.4f}°N {1:.4f}°E, radius {2:g} km</source>
        <translation>圆形：中心 北纬{0:.4f}° 东经{1:.4f}°，半径 {2:g} 公里</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="334"/>
        <source>polygon of {0} corners (lat,lon): {1}</source>
        <translation>{0}边形（纬度,经度）：{1}</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="383"/>
        <source>Sending…</source>
        <translation>正在发送…</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="385"/>
        <source>Tick at least one recipient.</source>
        <translation>请至少勾选一个收件方。</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="389"/>
        <source>This message cannot be sent, it fails the checks:</source>
        <translation>本消息未通过校验，不能发送：</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="394"/>
        <source>Checking against the CAP 1.2 schema…</source>
        <translation>正在按CAP 1.2模式校验…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../../ui/emergencies/cap.py" line="404"/>
        <source>Send CAP alert to %n recipient(s)</source>
        <translation>
            <numerusform>发送CAP预警至 %n 个收件方</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../../ui/emergencies/cap.py" line="405"/>
        <source>Send CAP update to %n recipient(s)</source>
        <translation>
            <numerusform>发送CAP更新至 %n 个收件方</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../../ui/emergencies/cap.py" line="406"/>
        <source>Send CAP cancellation to %n recipient(s)</source>
        <translation>
            <numerusform>发送CAP撤销至 %n 个收件方</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../../ui/emergencies/cap.py" line="407"/>
        <source>Send CAP message to %n recipient(s)</source>
        <translation>
            <numerusform>发送CAP消息至 %n 个收件方</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/cap.py" line="410"/>
        <source>[Exercise]</source>
        <translation>【演练】</translation>
    </message>
</context>
<context>
    <name>DrillDialog</name>
    <message>
        <location filename="../../../ui/emergencies/integration.py" line="144"/>
        <source>Start a drill</source>
        <translation>开始演练</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/integration.py" line="153"/>
        <source>Scenario</source>
        <translation>演练场景</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/integration.py" line="154"/>
        <source>Speed</source>
        <translation>倍速</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/integration.py" line="157"/>
        <source>Everything the drill produces is marked exercise and can be removed as a whole afterwards.</source>
        <translation>演练产生的一切均标记为演练，结束后可整体删除。</translation>
    </message>
</context>
<context>
    <name>EmergencyIntegration</name>
    <message>
        <location filename="../../../ui/emergencies/integration.py" line="219"/>
        <source>Pollution alert</source>
        <translation>污染预警</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/integration.py" line="224"/>
        <source>Emergency</source>
        <translation>突发环境事件</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/integration.py" line="231"/>
        <source>&amp;Emergencies</source>
        <translation>突发事件(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/integration.py" line="237"/>
        <source>Change heavy-pollution alert…</source>
        <translation>调整重污染天气预警…</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/integration.py" line="243"/>
        <source>Coordination log entry</source>
        <translation>协调日志录入</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/integration.py" line="250"/>
        <source>Export coordination log as PDF…</source>
        <translation>导出协调日志PDF…</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/integration.py" line="256"/>
        <source>Import CAP message…</source>
        <translation>导入CAP消息…</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/integration.py" line="264"/>
        <source>Start a drill…</source>
        <translation>开始演练…</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/integration.py" line="268"/>
        <source>End the drill</source>
        <translation>结束演练</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/integration.py" line="271"/>
        <source>Drill report…</source>
        <translation>演练报告…</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/integration.py" line="277"/>
        <source>Remove the drill&apos;s cases (shift leader)…</source>
        <translation>删除演练事项（带班领导）…</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/integration.py" line="454"/>
        <source>No monitoring wall to show {0}</source>
        <translation>未打开监控墙，无法显示{0}</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/integration.py" line="487"/>
        <source>Drawing cancelled: nothing saved</source>
        <translation>已取消绘制：未保存任何内容</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/integration.py" line="509"/>
        <source>No monitoring wall to draw the area on</source>
        <translation>本窗口没有监控墙，无法在地图上绘制影响范围</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/integration.py" line="513"/>
        <source>Draw the area on the monitoring wall&apos;s map</source>
        <translation>请在监控墙地图上绘制影响范围</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/integration.py" line="607"/>
        <source>Draw the area first: the case has no place</source>
        <translation>请先绘制影响范围：该事项没有位置</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/integration.py" line="616"/>
        <source>No stations to add: every proposed station is in the list</source>
        <translation>没有需要添加的站点：建议的站点均已在列表中</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/integration.py" line="622"/>
        <source>{0} stations added from the area</source>
        <translation>已根据影响范围添加 {0} 个站点</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/integration.py" line="637"/>
        <source>{0} is already an affected station</source>
        <translation>{0} 已在受影响站点中</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/integration.py" line="766"/>
        <source>Log exported to {0}</source>
        <translation>日志已导出至{0}</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/integration.py" line="505"/>
        <location filename="../../../ui/emergencies/integration.py" line="771"/>
        <source>Select an emergency case first</source>
        <translation>请先选择突发环境事件</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/integration.py" line="724"/>
        <source>CAP message not sent</source>
        <translation>CAP消息未发送</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/integration.py" line="727"/>
        <source>CAP message {0} ({1}) sent to {2}</source>
        <translation>CAP消息{0}（{1}）已发送至{2}</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/integration.py" line="740"/>
        <source>Export CAP message</source>
        <translation>导出CAP消息</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/integration.py" line="742"/>
        <source>CAP 1.2 message (*.xml)</source>
        <translation>CAP 1.2 消息 (*.xml)</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/integration.py" line="753"/>
        <source>CAP message exported to {0}</source>
        <translation>CAP消息已导出至{0}</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/integration.py" line="776"/>
        <source>Export coordination log</source>
        <translation>导出协调日志</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/integration.py" line="787"/>
        <source>Import CAP message</source>
        <translation>导入CAP消息</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/integration.py" line="795"/>
        <source>CAP message {0}: {1}</source>
        <translation>CAP消息{0}：{1}</translation>
    </message>
    <message numerus="yes">
        <location filename="../../../ui/emergencies/integration.py" line="836"/>
        <source>Change the alert and send CAP to %n recipient(s)</source>
        <translation>
            <numerusform>调整预警并发送CAP至 %n 个收件方</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/integration.py" line="841"/>
        <source>Alert not changed: nothing was sent</source>
        <translation>预警未调整，未发送任何消息</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/integration.py" line="875"/>
        <source>A drill is already running</source>
        <translation>已有演练正在进行</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/integration.py" line="877"/>
        <source>Drill started: {0} at {1}×</source>
        <translation>演练已开始：{0}，{1}倍速</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/integration.py" line="881"/>
        <source>Drill ending</source>
        <translation>演练正在结束</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/integration.py" line="885"/>
        <location filename="../../../ui/emergencies/integration.py" line="893"/>
        <source>No drill yet</source>
        <translation>尚无演练</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/integration.py" line="888"/>
        <source>Drill report</source>
        <translation>演练报告</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/integration.py" line="897"/>
        <source>Drill removed: {0} cases</source>
        <translation>演练已删除：{0}个事项</translation>
    </message>
</context>
<context>
    <name>EmergencyLogPdf</name>
    <message>
        <location filename="../../../ui/emergencies/log_pdf.py" line="24"/>
        <source>Activity log (ICS-214)</source>
        <translation>应急处置活动记录（ICS-214）</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/log_pdf.py" line="25"/>
        <source>Incident</source>
        <translation>事件</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/log_pdf.py" line="26"/>
        <source>[EXERCISE]</source>
        <translation>【演练】</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/log_pdf.py" line="27"/>
        <source>Operational period</source>
        <translation>处置时段</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/log_pdf.py" line="28"/>
        <source>Level</source>
        <translation>级别</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/log_pdf.py" line="29"/>
        <source>not decided</source>
        <translation>未定级</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/log_pdf.py" line="30"/>
        <source>proposed</source>
        <translation>建议</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/log_pdf.py" line="31"/>
        <source>Response plan steps</source>
        <translation>预案步骤</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/log_pdf.py" line="32"/>
        <source>Level decisions</source>
        <translation>定级记录</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/log_pdf.py" line="33"/>
        <source>Step</source>
        <translation>步骤</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/log_pdf.py" line="34"/>
        <source>Owner</source>
        <translation>责任单位</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/log_pdf.py" line="35"/>
        <source>Target (min)</source>
        <translation>时限（分钟）</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/log_pdf.py" line="36"/>
        <source>Finished</source>
        <translation>完成时间</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/log_pdf.py" line="37"/>
        <source>Took (min)</source>
        <translation>用时（分钟）</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/log_pdf.py" line="38"/>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/log_pdf.py" line="39"/>
        <source>Notable activities</source>
        <translation>主要活动</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/log_pdf.py" line="40"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/log_pdf.py" line="41"/>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/log_pdf.py" line="42"/>
        <source>Activity</source>
        <translation>活动内容</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/log_pdf.py" line="43"/>
        <source>By</source>
        <translation>记录人</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/log_pdf.py" line="44"/>
        <source>Prepared by</source>
        <translation>填报人</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/log_pdf.py" line="45"/>
        <source>open</source>
        <translation>进行中</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/log_pdf.py" line="46"/>
        <source>OVERDUE</source>
        <translation>已超时</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/log_pdf.py" line="47"/>
        <source>done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/log_pdf.py" line="48"/>
        <source>skipped</source>
        <translation>已跳过</translation>
    </message>
</context>
<context>
    <name>EmergencyPanel</name>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="139"/>
        <location filename="../../../ui/emergencies/panel.py" line="181"/>
        <source>No emergency selected</source>
        <translation>未选择突发环境事件</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="188"/>
        <source>Select an emergency (kind “Emergency”) in the case queue to work it here: level, plan checklist, coordination log and affected stations. A new one is opened with File → New case… (Ctrl+N), kind “Emergency”.</source>
        <translation>在事项队列中选中一件突发环境事件（类型为“突发环境事件”），即可在此处置：事件级别、预案清单、协调日志和受影响站点。新建事件：文件 → 新建事项…（Ctrl+N），类型选“突发环境事件”。</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="203"/>
        <source>Place and area</source>
        <translation>位置与影响范围</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="213"/>
        <source>Wind from</source>
        <translation>风向（来向）</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="216"/>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="219"/>
        <source>Degrees the wind blows from (0 north, 90 east); empty when unknown</source>
        <translation>风的来向，单位度（0 为北风，90 为东风）；未知时留空</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="227"/>
        <source>Type</source>
        <translation>事件类型</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="231"/>
        <source>Area</source>
        <translation>影响范围</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="233"/>
        <source>Draw circle on map</source>
        <translation>在地图上画圆</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="234"/>
        <source>Draw polygon on map</source>
        <translation>在地图上画多边形</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="235"/>
        <source>Save drawn area</source>
        <translation>保存已绘制的范围</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="237"/>
        <source>Clear area</source>
        <translation>清除范围</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="255"/>
        <source>Level (2014 national plan)</source>
        <translation>事件级别（2014年国家预案）</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="263"/>
        <source>Proposed from the figures</source>
        <translation>按数字建议</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="264"/>
        <source>Decided</source>
        <translation>已定级别</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="270"/>
        <source>Reason (required to change a level or depart from the proposal)</source>
        <translation>理由（调整级别或不采用建议级别时必填）</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="272"/>
        <source>Decide level (shift leader)</source>
        <translation>确定级别（带班领导）</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="287"/>
        <source>Reported figures</source>
        <translation>报告数字</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="290"/>
        <source>Deaths</source>
        <translation>死亡人数</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="291"/>
        <source>Poisoned or seriously injured</source>
        <translation>中毒或重伤人数</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="292"/>
        <source>Evacuated</source>
        <translation>疏散转移人数</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="293"/>
        <source>Direct loss (yuan)</source>
        <translation>直接经济损失（元）</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="306"/>
        <source>No intake cut off</source>
        <translation>未中断取水</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="307"/>
        <source>Township intake cut off</source>
        <translation>乡镇水源地取水中断</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="308"/>
        <source>County-level city intake cut off</source>
        <translation>县级城市水源地取水中断</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="309"/>
        <source>Prefecture-level city intake cut off</source>
        <translation>设区的市级城市水源地取水中断</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="312"/>
        <source>Drinking-water intake</source>
        <translation>饮用水取水</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="313"/>
        <source>Record figures</source>
        <translation>记录数字</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="320"/>
        <source>Response plan checklist</source>
        <translation>预案处置清单</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="325"/>
        <source>Activate plan</source>
        <translation>启动预案</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="334"/>
        <source>Step</source>
        <translation>步骤</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="334"/>
        <source>Owner</source>
        <translation>责任单位</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="334"/>
        <source>Time left</source>
        <translation>剩余时间</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="334"/>
        <location filename="../../../ui/emergencies/panel.py" line="402"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="347"/>
        <source>Step done</source>
        <translation>步骤完成</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="349"/>
        <source>Reason to skip</source>
        <translation>跳过理由</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="350"/>
        <source>Skip step</source>
        <translation>跳过步骤</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="351"/>
        <source>Dispatch owner</source>
        <translation>调度责任单位</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="364"/>
        <source>Coordination log</source>
        <translation>应急协调日志</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="369"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="369"/>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="369"/>
        <source>Activity</source>
        <translation>活动内容</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="369"/>
        <source>By</source>
        <translation>记录人</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="383"/>
        <source>Ctrl+L · Enter records · /c call  /d decision  /s dispatch  /r reading</source>
        <translation>Ctrl+L · 回车记录 · /c 电话  /d 决策  /s 调度  /r 数据</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="388"/>
        <source>Export log as PDF…</source>
        <translation>导出日志PDF…</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="397"/>
        <source>Emergency monitoring tasks</source>
        <translation>应急监测任务</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="402"/>
        <source>Station</source>
        <translation>站点</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="402"/>
        <source>Parameters</source>
        <translation>监测项目</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="402"/>
        <source>Next sample</source>
        <translation>下次采样</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="418"/>
        <source>Sample of the selected task: NH3-N=2.4 CODMn=9.1</source>
        <translation>所选任务的监测结果：NH3-N=2.4 CODMn=9.1</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="427"/>
        <source>Affected stations (downstream / downwind)</source>
        <translation>受影响站点（下游／下风向）</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="441"/>
        <source>Propose from area</source>
        <translation>按影响范围建议</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="444"/>
        <source>Adds the sections downstream or stations downwind of the area (or the case&apos;s place) and the stations inside the area</source>
        <translation>添加影响范围（或事项位置）下游的断面或下风向的站点，以及范围内的站点</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="448"/>
        <source>Remove selected station</source>
        <translation>移除所选站点</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="451"/>
        <source>Add a station: id or name</source>
        <translation>添加站点：编号或名称</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="453"/>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="464"/>
        <source>Parameters, e.g. NH3-N CODMn</source>
        <translation>监测项目，如 NH3-N CODMn</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="468"/>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="469"/>
        <source>Assign monitoring</source>
        <translation>布置应急监测</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="554"/>
        <source>%1 (active)</source>
        <translation>%1（已启动）</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="573"/>
        <source>This plan is active: its steps are in the checklist below</source>
        <translation>该预案已启动：其步骤见下方清单</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="575"/>
        <source>Only a duty officer or shift leader activates a plan</source>
        <translation>仅值班员或带班领导可启动预案</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="612"/>
        <source> [EXERCISE]</source>
        <translation>【演练】</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="618"/>
        <source>no figure reaches a higher level</source>
        <translation>无数字达到更高级别</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="621"/>
        <source>not decided yet (shift leader)</source>
        <translation>尚未定级（待带班领导确定）</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="626"/>
        <source>province leads</source>
        <translation>省级响应</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="627"/>
        <source>city leads</source>
        <translation>市级响应</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="628"/>
        <source>county leads</source>
        <translation>县级响应</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="631"/>
        <source>differs from proposal</source>
        <translation>与建议级别不同</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="675"/>
        <source>none drawn</source>
        <translation>未绘制</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="678"/>
        <source>circle, centre {0}°E {1}°N, radius {2} km</source>
        <translation>圆形，中心 东经{0}° 北纬{1}°，半径 {2} 公里</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="681"/>
        <source>polygon of {0} points, centre {1}°E {2}°N</source>
        <translation>多边形，{0} 个顶点，中心 东经{1}° 北纬{2}°</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="689"/>
        <source>Drawn but not saved: {0}</source>
        <translation>已绘制但未保存：{0}</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="754"/>
        <source>open</source>
        <translation>进行中</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="755"/>
        <source>OVERDUE</source>
        <translation>已超时</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="756"/>
        <source>done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="757"/>
        <source>skipped</source>
        <translation>已跳过</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="760"/>
        <source>(late)</source>
        <translation>（超时完成）</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="787"/>
        <source>ended</source>
        <translation>已结束</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="791"/>
        <source>SAMPLE OVERDUE</source>
        <translation>采样超时</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="793"/>
        <source>{0} samples</source>
        <translation>已采样{0}次</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="818"/>
        <source>Wind direction: whole degrees from 0 to 359</source>
        <translation>风向须为 0 到 359 之间的整数度</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="826"/>
        <source>Select an affected station first</source>
        <translation>请先选择一个受影响站点</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="866"/>
        <location filename="../../../ui/emergencies/panel.py" line="873"/>
        <source>Select a step first</source>
        <translation>请先选择一个步骤</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="881"/>
        <source>Select an affected station and name the parameters</source>
        <translation>请选择受影响站点并填写监测项目</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="890"/>
        <source>Select a monitoring task first</source>
        <translation>请先选择一个监测任务</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/panel.py" line="899"/>
        <location filename="../../../ui/emergencies/panel.py" line="902"/>
        <source>Write each value as PARAMETER=NUMBER</source>
        <translation>请按“项目=数值”填写</translation>
    </message>
</context>
<context>
    <name>LinkedTrends</name>
    <message>
        <location filename="../../../ui/emergencies/trends.py" line="47"/>
        <location filename="../../../ui/emergencies/trends.py" line="100"/>
        <source>Select an affected station to see its last 24 hours</source>
        <translation>选择受影响站点，查看其最近24小时数据</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/trends.py" line="111"/>
        <source>{0}: no data service in this window to show its data</source>
        <translation>{0}：本窗口没有数据服务，无法显示其数据</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/trends.py" line="116"/>
        <source>{0}: no parameter to show</source>
        <translation>{0}：没有可显示的监测项目</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/trends.py" line="119"/>
        <source>{0} · last 24 h, hourly averages · loading…</source>
        <translation>{0} · 最近24小时小时均值 · 加载中…</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/trends.py" line="156"/>
        <source>{0} no valid data</source>
        <translation>{0} 无有效数据</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/trends.py" line="165"/>
        <source>{0} unavailable</source>
        <translation>{0} 无法获取</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/trends.py" line="173"/>
        <source>{0} · last 24 h, hourly averages</source>
        <translation>{0} · 最近24小时小时均值</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/trends.py" line="175"/>
        <source> · latest: </source>
        <translation> · 最新：</translation>
    </message>
    <message>
        <location filename="../../../ui/emergencies/trends.py" line="177"/>
        <source>loading…</source>
        <translation>加载中…</translation>
    </message>
</context>
</TS>
