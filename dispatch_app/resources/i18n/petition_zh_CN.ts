<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>CallbackDialog</name>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="256"/>
        <source>Satisfaction callback</source>
        <translation>满意度回访</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="257"/>
        <source>Record callback</source>
        <translation>登记回访</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="262"/>
        <source>— choose the petitioner&apos;s answer —</source>
        <translation>— 选择信访人的评价 —</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="265"/>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="266"/>
        <source>What the petitioner said</source>
        <translation>信访人的意见</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="267"/>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="269"/>
        <source>Set the reply aside and handle the petition again (shift leader)</source>
        <translation>撤回答复并重新办理（带班领导）</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="275"/>
        <source>Only a shift leader may reopen a petition.</source>
        <translation>仅带班领导可重新办理信访事项。</translation>
    </message>
</context>
<context>
    <name>DecisionDialog</name>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="141"/>
        <source>Decision on the petition</source>
        <translation>信访事项办理决定</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="142"/>
        <source>Record decision</source>
        <translation>登记决定</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="147"/>
        <source>— choose the decision —</source>
        <translation>— 选择办理决定 —</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="150"/>
        <source>Decision</source>
        <translation>办理决定</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="154"/>
        <source>Decided at (Beijing time)</source>
        <translation>决定时间（北京时间）</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="156"/>
        <source>Required when not accepted: the reason told to them</source>
        <translation>不予受理时必填：告知信访人的理由</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="158"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>ExtensionDialog</name>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="183"/>
        <source>Extend the handling period</source>
        <translation>延长办理期限</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="184"/>
        <source>Approve extension</source>
        <translation>批准延期</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="188"/>
        <source>One extension of at most %1 days, approved by the shift leader, with the reason told to the petitioner. It is recorded under your name.</source>
        <translation>办理期限只能延长一次，最多%1日，须经带班领导批准并将理由告知信访人。本次批准将以您的名义登记。</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="201"/>
        <source> days</source>
        <translation> 日</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="202"/>
        <source>Extend by</source>
        <translation>延长</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="204"/>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
</context>
<context>
    <name>MergeDialog</name>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="312"/>
        <source>Merge as a repeat petition</source>
        <translation>作为重复信访并案</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="313"/>
        <source>Merge into the selected petition</source>
        <translation>并入所选信访事项</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="318"/>
        <source>This petition becomes a repeat of the one you select (the master): it counts toward the master&apos;s repeat complaints and follows the master&apos;s deadlines. A petition that is itself merged cannot be a master.</source>
        <translation>本件将作为所选事项（主件）的重复信访：计入主件的重复投诉次数，并按主件的期限办理。已并入其他事项的信访不能作为主件。</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="333"/>
        <source>Petition</source>
        <translation>信访事项</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="334"/>
        <source>Match</source>
        <translation>相似度</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="335"/>
        <source>Received</source>
        <translation>收件时间</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="336"/>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="337"/>
        <source>Why it looks the same</source>
        <translation>相似原因</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="349"/>
        <source>(merged: not a master)</source>
        <translation>（已并案，不能作为主件）</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="373"/>
        <source>No likely duplicates were found for this petition.</source>
        <translation>未找到与本件可能重复的信访事项。</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="378"/>
        <source>Why these are the same matter</source>
        <translation>认定为同一事项的理由</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="380"/>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
</context>
<context>
    <name>Open311ExportDialog</name>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="553"/>
        <source>Export petitions (Open311 GeoReport v2)</source>
        <translation>导出信访事项（Open311 GeoReport v2）</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="554"/>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="555"/>
        <source>%1 petitions will be exported.</source>
        <translation>将导出%1件信访事项。</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="562"/>
        <source>Choose file…</source>
        <translation>选择文件…</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="566"/>
        <source>Save to</source>
        <translation>保存到</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="568"/>
        <source>Include full phone and ID numbers (audited; reason required)</source>
        <translation>包含完整电话和身份证号（记入审计日志，须填写理由）</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="573"/>
        <source>Your role exports masked data only.</source>
        <translation>您的角色只能导出脱敏数据。</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="578"/>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="585"/>
        <source>Open311 file</source>
        <translation>Open311 文件</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="588"/>
        <source>JSON (*.json)</source>
        <translation>JSON 文件 (*.json)</translation>
    </message>
</context>
<context>
    <name>Open311ImportDialog</name>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="416"/>
        <source>Import petitions (Open311 GeoReport v2)</source>
        <translation>导入信访事项（Open311 GeoReport v2）</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="417"/>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="425"/>
        <source>Choose file…</source>
        <translation>选择文件…</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="429"/>
        <source>JSON file</source>
        <translation>JSON 文件</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="434"/>
        <source>District when a record has none</source>
        <translation>记录未注明区时归属</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="435"/>
        <source>Also import records already closed</source>
        <translation>同时导入平台上已办结的记录</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="446"/>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="446"/>
        <source>Request id</source>
        <translation>请求编号</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="446"/>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="446"/>
        <source>Details</source>
        <translation>说明</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="457"/>
        <source>Open311 file</source>
        <translation>Open311 文件</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="460"/>
        <source>JSON (*.json);;All files (*)</source>
        <translation>JSON 文件 (*.json);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="511"/>
        <source>Created</source>
        <translation>已登记</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="514"/>
        <source>Already in the desk</source>
        <translation>已在系统中</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="514"/>
        <location filename="../../../ui/petitions/dialogs.py" line="516"/>
        <source>skipped</source>
        <translation>已跳过</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="516"/>
        <source>Closed on the platform</source>
        <translation>平台上已办结</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="520"/>
        <source>Rejected</source>
        <translation>被拒绝</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="523"/>
        <source>Refused by the desk</source>
        <translation>系统拒绝登记</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="530"/>
        <source>%1 created, %2 rejected, %3 already present, %4 closed skipped, %5 refused.</source>
        <translation>登记%1件，拒绝%2件，已存在%3件，跳过已办结%4件，系统拒绝%5件。</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="537"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>PetitionFormats</name>
    <message>
        <location filename="../../../ui/petitions/formats.py" line="43"/>
        <source>%1 d</source>
        <translation>%1天</translation>
    </message>
</context>
<context>
    <name>PetitionIntakeDialog</name>
    <message>
        <location filename="../../../ui/petitions/intake.py" line="136"/>
        <source>Hotline call: new petition</source>
        <translation>热线来电：登记信访</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/intake.py" line="136"/>
        <source>New petition</source>
        <translation>登记信访</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/intake.py" line="190"/>
        <source>Anonymous (no name or ID recorded)</source>
        <translation>匿名（不登记姓名和身份证号）</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/intake.py" line="196"/>
        <source>11-digit mobile or landline with area code</source>
        <translation>11位手机号或带区号的固定电话</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/intake.py" line="199"/>
        <source>18 characters (optional)</source>
        <translation>18位（选填）</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/intake.py" line="202"/>
        <source>For a reply by post (optional)</source>
        <translation>用于邮寄答复（选填）</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/intake.py" line="208"/>
        <source>— choose what it is about —</source>
        <translation>— 选择信访事项类别 —</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/intake.py" line="213"/>
        <source>— choose the district —</source>
        <translation>— 选择所在区 —</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/intake.py" line="225"/>
        <source>e.g. 119.95 (optional)</source>
        <translation>如 119.95（选填）</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/intake.py" line="228"/>
        <source>e.g. 31.78 (optional)</source>
        <translation>如 31.78（选填）</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/intake.py" line="231"/>
        <source>The enterprise complained about, if any</source>
        <translation>被投诉企业（如有）</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/intake.py" line="234"/>
        <source>18 characters, e.g. 91320400MA1XXXXXXX</source>
        <translation>18位，如 91320400MA1XXXXXXX</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/intake.py" line="240"/>
        <source>What the petitioner reports, in their words: what, where, since when</source>
        <translation>信访人反映的情况（尽量用其原话）：什么问题、在哪里、从何时开始</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/intake.py" line="245"/>
        <source>Add file…</source>
        <translation>添加文件…</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/intake.py" line="247"/>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/intake.py" line="264"/>
        <source>Channel</source>
        <translation>信访渠道</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/intake.py" line="265"/>
        <source>Received at (Beijing time)</source>
        <translation>收件时间（北京时间）</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/intake.py" line="266"/>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/intake.py" line="267"/>
        <source>Petitioner</source>
        <translation>信访人</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/intake.py" line="269"/>
        <source>Subject</source>
        <translation>事项类别</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/intake.py" line="270"/>
        <source>Address of the problem</source>
        <translation>问题发生地址</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/intake.py" line="276"/>
        <source>Longitude</source>
        <translation>经度</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/intake.py" line="278"/>
        <source>Latitude</source>
        <translation>纬度</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/intake.py" line="280"/>
        <source>Location</source>
        <translation>位置</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/intake.py" line="281"/>
        <source>District</source>
        <translation>所在区</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/intake.py" line="282"/>
        <source>Description</source>
        <translation>信访内容</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/intake.py" line="283"/>
        <source>Enterprise</source>
        <translation>被投诉企业</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/intake.py" line="284"/>
        <source>Unified social credit code</source>
        <translation>统一社会信用代码</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/intake.py" line="285"/>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/intake.py" line="286"/>
        <source>Postal address</source>
        <translation>通信地址</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/intake.py" line="287"/>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/intake.py" line="298"/>
        <source>Attachments</source>
        <translation>附件</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/intake.py" line="314"/>
        <source>Tab: next field · Ctrl+Enter: save · Esc: discard (asks first)</source>
        <translation>Tab：下一项 · Ctrl+Enter：保存 · Esc：放弃（先确认）</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/intake.py" line="323"/>
        <source>Earlier petitions from this number</source>
        <translation>该号码以往的信访</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/intake.py" line="331"/>
        <source>Likely duplicates (same place, enterprise or text)</source>
        <translation>可能重复的信访（同一地点、企业或内容）</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/intake.py" line="345"/>
        <source>Shown as you type the number, the place or the enterprise.</source>
        <translation>输入电话、地点或企业名称后在此显示。</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/intake.py" line="370"/>
        <source>Discard everything typed for this petition? Esc again discards.</source>
        <translation>放弃本次登记的全部内容？再按一次 Esc 即放弃。</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/intake.py" line="374"/>
        <source>Discard</source>
        <translation>放弃</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/intake.py" line="376"/>
        <source>Keep editing</source>
        <translation>继续填写</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/intake.py" line="392"/>
        <source>Register petition (Ctrl+Enter)</source>
        <translation>登记信访（Ctrl+Enter）</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/intake.py" line="395"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/intake.py" line="461"/>
        <source>On the call %1</source>
        <translation>通话中 %1</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/intake.py" line="526"/>
        <source>Photos and documents for the petition</source>
        <translation>信访照片和材料</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/intake.py" line="549"/>
        <source>Not a phone number: an 11-digit mobile (1…) or a landline with its area code (0519…)</source>
        <translation>电话号码无效：应为11位手机号（1开头）或带区号的固定电话（0519…）</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/intake.py" line="563"/>
        <source>Not a valid 18-character resident ID: %1</source>
        <translation>不是有效的18位身份证号：%1</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/intake.py" line="691"/>
        <source>%1 fields need attention; nothing was saved and nothing was lost.</source>
        <translation>有%1项需要修改；尚未保存，已填内容均保留。</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/intake.py" line="768"/>
        <source>Looking up earlier petitions…</source>
        <translation>正在查找以往信访…</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/intake.py" line="784"/>
        <source>Look-up failed: %1</source>
        <translation>查找失败：%1</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/intake.py" line="791"/>
        <location filename="../../../ui/petitions/intake.py" line="804"/>
        <source>None found.</source>
        <translation>未找到。</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/intake.py" line="809"/>
        <source>(already merged into another petition)</source>
        <translation>（已并入其他信访事项）</translation>
    </message>
</context>
<context>
    <name>PetitionIntegration</name>
    <message>
        <location filename="../../../ui/petitions/integration.py" line="115"/>
        <source>Selected petition</source>
        <translation>当前信访事项</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/integration.py" line="124"/>
        <source>Petition deadlines</source>
        <translation>信访期限提醒</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/integration.py" line="130"/>
        <source>&amp;Petitions</source>
        <translation>信访(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/integration.py" line="136"/>
        <source>Hotline call: new petition…</source>
        <translation>热线来电登记…</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/integration.py" line="141"/>
        <source>Opens the intake form with the call clock running (12345/12369)</source>
        <translation>打开登记表并开始通话计时（12345/12369）</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/integration.py" line="145"/>
        <source>New petition (letter, visit, online)…</source>
        <translation>登记信访（来信、来访、网上）…</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/integration.py" line="152"/>
        <source>Decision (accept, transfer, assign)…</source>
        <translation>办理决定（受理、转送、交办）…</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/integration.py" line="153"/>
        <source>Written notice sent…</source>
        <translation>已书面告知…</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/integration.py" line="154"/>
        <source>Petitioner contacted…</source>
        <translation>已联系信访人…</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/integration.py" line="155"/>
        <source>Extend the handling period (shift leader)…</source>
        <translation>延长办理期限（带班领导）…</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/integration.py" line="156"/>
        <source>Reply to the petitioner…</source>
        <translation>答复信访人…</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/integration.py" line="157"/>
        <source>Satisfaction callback…</source>
        <translation>满意度回访…</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/integration.py" line="158"/>
        <source>Review or second review requested…</source>
        <translation>申请复查或复核…</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/integration.py" line="159"/>
        <source>Merge as a repeat petition…</source>
        <translation>作为重复信访并案…</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/integration.py" line="160"/>
        <source>Undo merge…</source>
        <translation>撤销并案…</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/integration.py" line="161"/>
        <source>Add attachment…</source>
        <translation>添加附件…</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/integration.py" line="168"/>
        <source>Import from Open311…</source>
        <translation>从 Open311 导入…</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/integration.py" line="174"/>
        <source>Export to Open311 (masked)…</source>
        <translation>导出为 Open311（脱敏）…</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/integration.py" line="180"/>
        <source>Check petition deadlines now</source>
        <translation>立即检查信访期限</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/integration.py" line="242"/>
        <source>No petition selected</source>
        <translation>未选择信访事项</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/integration.py" line="246"/>
        <source>Not possible at this stage of the petition</source>
        <translation>该信访事项当前所处环节不能执行此步骤</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/integration.py" line="383"/>
        <source>Petition %1 registered.</source>
        <translation>信访事项%1已登记。</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/integration.py" line="396"/>
        <source>Select a petition first.</source>
        <translation>请先选择一件信访事项。</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/integration.py" line="416"/>
        <source>The panel now shows their change. Your input is still here: check it, then press OK again to record it on the new version.</source>
        <translation>面板已显示对方的修改。您的输入仍保留在此：核对后再次按“确定”，即在新版本上登记。</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/integration.py" line="437"/>
        <source>Written notice sent</source>
        <translation>已书面告知</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/integration.py" line="446"/>
        <source>Petitioner contacted</source>
        <translation>已联系信访人</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/integration.py" line="477"/>
        <source>Review requested</source>
        <translation>申请复查/复核</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/integration.py" line="479"/>
        <source>Note (optional)</source>
        <translation>备注（选填）</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/integration.py" line="481"/>
        <source>Opens the review (复查) or second review (复核) the petitioner asked for as a linked petition with its own 30-day deadline.</source>
        <translation>将信访人申请的复查或复核登记为关联的信访事项，另计30日期限。</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/integration.py" line="498"/>
        <source>Undo merge</source>
        <translation>撤销并案</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/integration.py" line="500"/>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/integration.py" line="506"/>
        <source>Show full numbers</source>
        <translation>查看完整号码</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/integration.py" line="508"/>
        <source>Why you need them</source>
        <translation>查看理由</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/integration.py" line="510"/>
        <source>The petitioner&apos;s full phone and ID number are protected. Your name, the time and this reason are written to the audit log.</source>
        <translation>信访人的完整电话和身份证号受保护。您的姓名、时间和理由将记入审计日志。</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/integration.py" line="516"/>
        <source>Attach a file</source>
        <translation>添加附件</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/integration.py" line="530"/>
        <source>%1: recorded.</source>
        <translation>%1：已登记。</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/integration.py" line="555"/>
        <source>%1 opened.</source>
        <translation>%1已登记。</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/integration.py" line="562"/>
        <source>Merged into %1 (repeat petitions: %2).</source>
        <translation>已并入%1（重复信访%2件）。</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/integration.py" line="644"/>
        <source>%1 petitions exported to %2</source>
        <translation>已导出%1件信访事项到 %2</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/integration.py" line="726"/>
        <source>Petition deadlines could not be checked: %1</source>
        <translation>无法检查信访期限：%1</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/integration.py" line="710"/>
        <source>%1 new petition deadline reminders</source>
        <translation>新增%1条信访期限提醒</translation>
    </message>
</context>
<context>
    <name>PetitionPanel</name>
    <message>
        <location filename="../../../ui/petitions/panel.py" line="84"/>
        <location filename="../../../ui/petitions/panel.py" line="267"/>
        <source>No petition selected</source>
        <translation>未选择信访事项</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/panel.py" line="131"/>
        <source>Petitioner</source>
        <translation>信访人</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/panel.py" line="136"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/panel.py" line="137"/>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/panel.py" line="138"/>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/panel.py" line="139"/>
        <source>Postal address</source>
        <translation>通信地址</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/panel.py" line="150"/>
        <source>Show full numbers…</source>
        <translation>查看完整号码…</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/panel.py" line="153"/>
        <source>Asks for a reason; every unmasking is written to the audit log.</source>
        <translation>需填写理由；每次查看都记入审计日志。</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/panel.py" line="163"/>
        <source>Petition</source>
        <translation>信访事项</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/panel.py" line="167"/>
        <source>Channel</source>
        <translation>信访渠道</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/panel.py" line="168"/>
        <source>Received</source>
        <translation>收件时间</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/panel.py" line="169"/>
        <source>Subject</source>
        <translation>事项类别</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/panel.py" line="170"/>
        <source>Stage</source>
        <translation>办理阶段</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/panel.py" line="171"/>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/panel.py" line="172"/>
        <source>Enterprise</source>
        <translation>被投诉企业</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/panel.py" line="173"/>
        <source>Description</source>
        <translation>信访内容</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/panel.py" line="174"/>
        <source>Steps done</source>
        <translation>已办环节</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/panel.py" line="175"/>
        <source>Merging</source>
        <translation>并案</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/panel.py" line="190"/>
        <source>Deadline</source>
        <translation>期限</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/panel.py" line="190"/>
        <source>Due by end of</source>
        <translation>截止日</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/panel.py" line="190"/>
        <source>State and time left</source>
        <translation>状态与剩余时间</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/panel.py" line="210"/>
        <source>Steps</source>
        <translation>办理环节</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/panel.py" line="214"/>
        <source>Decision…</source>
        <translation>办理决定…</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/panel.py" line="215"/>
        <source>Written notice sent…</source>
        <translation>已书面告知…</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/panel.py" line="216"/>
        <source>Petitioner contacted…</source>
        <translation>已联系信访人…</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/panel.py" line="217"/>
        <source>Extend (shift leader)…</source>
        <translation>延期（带班领导）…</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/panel.py" line="218"/>
        <source>Reply…</source>
        <translation>答复…</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/panel.py" line="219"/>
        <source>Satisfaction callback…</source>
        <translation>满意度回访…</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/panel.py" line="220"/>
        <source>Review requested…</source>
        <translation>申请复查/复核…</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/panel.py" line="221"/>
        <source>Merge as repeat…</source>
        <translation>重复信访并案…</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/panel.py" line="222"/>
        <source>Undo merge…</source>
        <translation>撤销并案…</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/panel.py" line="223"/>
        <source>Add attachment…</source>
        <translation>添加附件…</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/panel.py" line="236"/>
        <source>Linked petitions and attachments</source>
        <translation>关联信访和附件</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/panel.py" line="247"/>
        <source>Attachments (Enter or double-click opens)</source>
        <translation>附件（回车或双击打开）</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/panel.py" line="110"/>
        <source>Deadlines (信访工作条例 and local targets)</source>
        <translation>期限（《信访工作条例》及本中心要求）</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/panel.py" line="310"/>
        <source>No attachments.</source>
        <translation>无附件。</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/panel.py" line="324"/>
        <source>Anonymous</source>
        <translation>匿名</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/panel.py" line="329"/>
        <source>Full numbers shown (audited).</source>
        <translation>正在显示完整号码（已记入审计）。</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/panel.py" line="331"/>
        <source>Phone and ID are masked.</source>
        <translation>电话和身份证号已脱敏。</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/panel.py" line="340"/>
        <source>Decision: %1 (%2)</source>
        <translation>办理决定：%1（%2）</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/panel.py" line="346"/>
        <source>Written notice: %1</source>
        <translation>书面告知：%1</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/panel.py" line="349"/>
        <source>Contacted: %1</source>
        <translation>已联系：%1</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/panel.py" line="352"/>
        <source>Extended by %1 days (approved by %2): %3</source>
        <translation>延期%1日（%2批准）：%3</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/panel.py" line="359"/>
        <source>Reply sent %1 by %2</source>
        <translation>已于%1以%2方式答复</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/panel.py" line="365"/>
        <source>Callback %1: %2</source>
        <translation>回访 %1：%2</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/panel.py" line="372"/>
        <source>%1 earlier replies set aside after dissatisfied callbacks</source>
        <translation>因回访不满意撤回的答复%1次</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/panel.py" line="376"/>
        <source>None yet</source>
        <translation>尚无</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/panel.py" line="383"/>
        <source>Merged into %1: its deadlines govern</source>
        <translation>已并入%1，按主件期限办理</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/panel.py" line="388"/>
        <source>Repeat petitions merged into this one: %1</source>
        <translation>并入本件的重复信访：%1件</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/panel.py" line="404"/>
        <source>Master petition #%1</source>
        <translation>主件 #%1</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/panel.py" line="408"/>
        <source>Repeat petition #%1</source>
        <translation>重复信访 #%1</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/panel.py" line="411"/>
        <source>Earlier stage #%1</source>
        <translation>前一阶段 #%1</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/panel.py" line="416"/>
        <source>Review / second review #%1</source>
        <translation>复查/复核 #%1</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/panel.py" line="420"/>
        <source>No linked petitions.</source>
        <translation>无关联信访。</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/panel.py" line="467"/>
        <source>(local target)</source>
        <translation>（本中心要求）</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/panel.py" line="469"/>
        <source>(holiday calendar provisional)</source>
        <translation>（节假日安排暂定）</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/panel.py" line="499"/>
        <source>done %1</source>
        <translation>已于%1完成</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/panel.py" line="501"/>
        <source>OVERDUE by %1</source>
        <translation>已超期 %1</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/panel.py" line="503"/>
        <source>%1 — overdue by %2</source>
        <translation>%1 — 已超期 %2</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/panel.py" line="510"/>
        <source>%1 left</source>
        <translation>剩余 %1</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/panel.py" line="544"/>
        <source>OVERDUE PETITION</source>
        <translation>信访事项已超期</translation>
    </message>
</context>
<context>
    <name>ReminderStrip</name>
    <message>
        <location filename="../../../ui/petitions/reminders.py" line="79"/>
        <source>Acknowledge reminder</source>
        <translation>确认提醒</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/reminders.py" line="82"/>
        <source>Mark the selected reminder as seen, with your name, on every workstation</source>
        <translation>将所选提醒标记为已阅，各工作站均显示确认人</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/reminders.py" line="92"/>
        <source>Overdue petitions</source>
        <translation>超期信访</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/reminders.py" line="95"/>
        <source>Reminders (3 days, 1 day before a deadline)</source>
        <translation>期限提醒（到期前3日、1日）</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/reminders.py" line="143"/>
        <source>overdue by %1</source>
        <translation>已超期 %1</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/reminders.py" line="150"/>
        <source>✔ No petition is overdue.</source>
        <translation>✔ 没有超期的信访事项。</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/reminders.py" line="168"/>
        <source>due in %1 days or less (by %2)</source>
        <translation>%1日内到期（截至%2）</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/reminders.py" line="173"/>
        <source>Unit: %1</source>
        <translation>处置单位：%1</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/reminders.py" line="175"/>
        <source>Acknowledged by %1 at %2</source>
        <translation>%1 已于 %2 确认</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/reminders.py" line="187"/>
        <source>… and %1 more reminders</source>
        <translation>……另有 %1 条提醒</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/reminders.py" line="190"/>
        <source>No deadline is due within 3 days.</source>
        <translation>3天内没有到期的期限。</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/reminders.py" line="207"/>
        <source>%1 petitions overdue: handle them first</source>
        <translation>%1件信访事项已超期，请优先处理</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/reminders.py" line="215"/>
        <source>No petition is overdue.</source>
        <translation>没有超期的信访事项。</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/reminders.py" line="222"/>
        <source>Petitions overdue: %1</source>
        <translation>超期信访：%1</translation>
    </message>
</context>
<context>
    <name>ReplyDialog</name>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="220"/>
        <source>Reply to the petitioner</source>
        <translation>答复信访人</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="221"/>
        <source>Record reply</source>
        <translation>登记答复</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="225"/>
        <source>The reply as sent to the petitioner</source>
        <translation>发送给信访人的答复意见</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="227"/>
        <source>Reply</source>
        <translation>答复意见</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="232"/>
        <source>Sent by</source>
        <translation>答复方式</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="236"/>
        <source>Sent at (Beijing time)</source>
        <translation>发送时间（北京时间）</translation>
    </message>
</context>
<context>
    <name>StepTimeDialog</name>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="121"/>
        <source>Done at (Beijing time)</source>
        <translation>办理时间（北京时间）</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="124"/>
        <source>What was said or agreed (optional)</source>
        <translation>沟通内容（选填）</translation>
    </message>
    <message>
        <location filename="../../../ui/petitions/dialogs.py" line="125"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
</context>
</TS>
