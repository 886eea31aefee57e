#pragma once

// The messages intent and sign-up send, in Chinese and English (see messaging/templates.h).

#include "pactum/domain/messaging/templates.h"

namespace pactum::domain::intent {

// kIntentCodeTemplate: the code that confirms a signing. Values: title (the contract's),
// code, minutes, link (the signing link).
inline constexpr messaging::MessageTemplate kIntentCodeTemplate{
    "intent_code",
    {"【Pactum】签署验证码",
     "您正在签署《{title}》，验证码 {code}，{minutes} 分钟内有效。请勿将验证码告诉任何人。"
     "签署链接：{link}"},
    {"Pactum signing code",
     "Your code to sign \"{title}\" is {code}. It is valid for {minutes} minutes; never share "
     "it with anyone. Signing link: {link}"}};

// kSignUpCodeTemplate: the code that completes a sign-up. Values: code, minutes.
inline constexpr messaging::MessageTemplate kSignUpCodeTemplate{
    "sign_up_code",
    {"【Pactum】注册验证码",
     "您的 Pactum 注册验证码为 {code}，{minutes} 分钟内有效。如非本人操作，请忽略本消息。"},
    {"Pactum sign-up code",
     "Your Pactum sign-up code is {code}. It is valid for {minutes} minutes. If you did not "
     "sign up, ignore this message."}};

// kAccountExistsTemplate: sent instead of a code when someone signs up with an address that
// already has an account, so the answer of the sign-up itself says nothing. No values.
inline constexpr messaging::MessageTemplate kAccountExistsTemplate{
    "account_exists",
    {"【Pactum】账户已存在",
     "有人用此地址申请注册 "
     "Pactum，但该地址已有账户。如是您本人，请直接登录；如非本人操作，请忽略本消息。"},
    {"Pactum: you already have an account",
     "Someone asked to sign up to Pactum with this address, which already has an account. If "
     "it was you, log in instead; otherwise ignore this message."}};

// kPasswordChangeCodeTemplate: the code that allows changing a signing password. Values: code,
// minutes.
inline constexpr messaging::MessageTemplate kPasswordChangeCodeTemplate{
    "password_change_code",
    {"【Pactum】修改签署密码",
     "您正在修改 Pactum 签署密码，验证码 {code}，{minutes} "
     "分钟内有效。如非本人操作，请立即检查您的账户。"},
    {"Pactum: change your signing password",
     "Your code to change your Pactum signing password is {code}. It is valid for {minutes} "
     "minutes. If this was not you, check your account now."}};

}  // namespace pactum::domain::intent
